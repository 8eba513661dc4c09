package io.kafkadr.archive;

import io.kafkadr.avro.WireFormat;
import tools.jackson.databind.JsonNode;

/** A record key, value or header value as a backup holds it; a null payload is Java null. */
public sealed interface Payload {

	/**
	 * Bytes kept exactly: JSON text where they are valid UTF-8, base64 where not. In an Avro topic,
	 * {@code undecoded} says why a key or value was not decoded; {@code fingerprint} and
	 * {@code wire} are set when its schema was known but its bytes were not a datum of it, so that
	 * it counts in the content digest as the Avro payload it claims to be (null otherwise).
	 */
	record Bytes(byte[] bytes, String undecoded, String fingerprint, WireFormat wire) implements Payload {

		public Bytes(byte[] bytes) {
			this(bytes, null, null, null);
		}

	}

	/**
	 * An Avro datum decoded to JSON, with the schema id it carried and how it carried it.
	 * {@code raw} holds the original datum bytes when re-encoding the JSON would not give them back
	 * exactly, otherwise null.
	 */
	record Avro(String fingerprint, long schemaId, WireFormat wire, JsonNode datum, byte[] raw) implements Payload {
	}

}
