package io.kafkadr.archive;

import io.kafkadr.avro.WireFormat;
import tools.jackson.databind.JsonNode;

/** A record key, value or header value as a backup holds it; a null payload is Java null. */
public sealed interface Payload {

	/** Bytes kept exactly: JSON text where they are valid UTF-8, base64 where not. */
	record Bytes(byte[] bytes) implements Payload {
	}

	/**
	 * An Avro datum decoded to JSON, with the schema id it carried and how it carried it.
	 * {@code raw} holds the original datum bytes when re-encoding the JSON would not give them back
	 * exactly, otherwise null.
	 */
	record Avro(String fingerprint, long schemaId, WireFormat wire, JsonNode datum, byte[] raw) implements Payload {
	}

}
