package io.kafkadr.archive;

/** A record in an Avro topic whose wire-format payload is not a datum of its writer schema. */
public class UndecodableRecordException extends RuntimeException {

	public UndecodableRecordException(String topic, int partition, long offset, int schemaId, Throwable cause) {
		super("The record at " + topic + "-" + partition + " offset " + offset + " starts like Avro in the Confluent wire"
				+ " format (schema id " + schemaId + ") but is not a datum of that schema: " + cause.getMessage()
				+ ". If this topic is not (only) Avro, list it under kafka-dr.topics.raw instead of kafka-dr.topics.avro"
				+ " and it will be kept byte for byte.", cause);
	}

}
