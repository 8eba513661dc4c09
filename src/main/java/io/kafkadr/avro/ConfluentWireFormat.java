package io.kafkadr.avro;

/**
 * Confluent's framing (magic byte {@code 0}, a 4-byte big-endian schema id, then the datum) with
 * int ids, as the sandbox and the tests produce it; {@link WireFormat#CONFLUENT} owns the bytes.
 */
public final class ConfluentWireFormat {

	/** Bytes before the datum. */
	public static final int HEADER_LENGTH = WireFormat.CONFLUENT.prefixLength();

	private ConfluentWireFormat() {
	}

	/** Whether the payload is long enough and starts with the magic byte. */
	public static boolean matches(byte[] payload) {
		return payload != null && WireFormat.CONFLUENT.framed(payload);
	}

	/** The schema id of a payload for which {@link #matches} holds. */
	public static int schemaId(byte[] payload) {
		return (int) WireFormat.CONFLUENT.prefixId(payload);
	}

	/** A payload carrying the given schema id and datum. */
	public static byte[] encode(int schemaId, byte[] datum) {
		return WireFormat.CONFLUENT.encode(schemaId, datum);
	}

}
