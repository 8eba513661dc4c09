package io.kafkadr.avro;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: magic byte {@code 0}, the schema id as a 4-byte big-endian integer,
 * then the serialized datum.
 *
 * <pre>
 *  byte 0      1  2  3  4      5 ...
 *      +------+-----------+-------------------+
 *      | 0x00 | schema id | Avro binary datum |
 *      +------+-----------+-------------------+
 * </pre>
 */
public final class ConfluentWireFormat {

	/** Bytes before the datum. */
	public static final int HEADER_LENGTH = 5;

	private static final byte MAGIC = 0;

	private ConfluentWireFormat() {
	}

	/** Whether the payload is long enough and starts with the magic byte. */
	public static boolean matches(byte[] payload) {
		return payload != null && payload.length >= HEADER_LENGTH && payload[0] == MAGIC;
	}

	/** The schema id of a payload for which {@link #matches} holds. */
	public static int schemaId(byte[] payload) {
		return ByteBuffer.wrap(payload, 1, 4).getInt();
	}

	/** A payload carrying the given schema id and datum. */
	public static byte[] encode(int schemaId, byte[] datum) {
		return ByteBuffer.allocate(HEADER_LENGTH + datum.length).put(MAGIC).putInt(schemaId).put(datum).array();
	}

}
