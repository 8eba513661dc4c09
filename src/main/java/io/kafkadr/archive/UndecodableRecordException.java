package io.kafkadr.archive;

/**
 * A key or value of an Avro topic that cannot be decoded, in a strict backup: its schema id does not
 * resolve, or its bytes are not a datum of that schema. The message names the record, its first
 * bytes and the wire format it was read in, and what to change.
 */
public class UndecodableRecordException extends RuntimeException {

	UndecodableRecordException(String what, Throwable cause) {
		super(what + ". If the topic's producers frame their payloads otherwise, set its format under"
				+ " kafka-dr.topics.wire-format (records with Apicurio's id headers are recognised by those headers);"
				+ " if it is not (only) Avro, list it under kafka-dr.topics.raw and it will be kept byte for byte.", cause);
	}

}
