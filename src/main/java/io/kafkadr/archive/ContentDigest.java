package io.kafkadr.archive;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The content digest of a partition: a SHA-256 chain over its records in order,
 *
 * <pre>
 *   chain(0) = 32 zero bytes
 *   chain(n) = SHA-256( chain(n-1) || SHA-256(record n) )
 * </pre>
 *
 * where a record is hashed over its timestamp, key, value and headers (not its offset, partition or
 * timestamp type, which a restore may change), and an Avro payload over its writer schema's
 * fingerprint and datum bytes, not the registry id. So a backup and the partition it was restored
 * into have the same digest. The chain is 32 bytes of state, which the backup keeps in the step's
 * execution context between chunks. One instance per thread.
 */
public final class ContentDigest {

	/** The length of a record's digest and of a chain value. */
	public static final int LENGTH = 32;

	/** The chain value of an empty partition. */
	public static final byte[] EMPTY = new byte[LENGTH];

	private static final byte NULL = 0;

	private static final byte BYTES = 1;

	private static final byte AVRO = 2;

	private final MessageDigest sha256 = Checksums.sha256();

	private final ByteBuffer number = ByteBuffer.allocate(Long.BYTES);

	/** Starts the digest of a record. */
	public ContentDigest begin(long timestamp) {
		this.sha256.reset();
		putLong(timestamp);
		return this;
	}

	/** Adds a null payload. */
	public ContentDigest nullPayload() {
		this.sha256.update(NULL);
		return this;
	}

	/** Adds a payload kept as bytes. */
	public ContentDigest bytes(byte[] data, int offset, int length) {
		this.sha256.update(BYTES);
		putInt(length);
		this.sha256.update(data, offset, length);
		return this;
	}

	/** Adds an Avro payload: the writer schema's fingerprint and the datum bytes after the schema id. */
	public ContentDigest avro(String fingerprint, byte[] datum, int offset, int length) {
		this.sha256.update(AVRO);
		this.sha256.update(fingerprint.getBytes(StandardCharsets.US_ASCII));
		putInt(length);
		this.sha256.update(datum, offset, length);
		return this;
	}

	/** Adds the number of headers; each then follows as {@link #headerName} and a payload. */
	public ContentDigest headerCount(int count) {
		putInt(count);
		return this;
	}

	public ContentDigest headerName(String name) {
		byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
		putInt(utf8.length);
		this.sha256.update(utf8);
		return this;
	}

	/** The digest of the record begun last. */
	public byte[] finish() {
		return this.sha256.digest();
	}

	/** Writes the digest of the record begun last into {@code target} at {@code offset}. */
	public void finish(byte[] target, int offset) {
		try {
			this.sha256.digest(target, offset, LENGTH);
		}
		catch (DigestException ex) {
			throw new IllegalStateException("SHA-256 digests are " + LENGTH + " bytes", ex);
		}
	}

	/** The next chain value. */
	public byte[] chain(byte[] previous, byte[] recordDigest) {
		return chain(previous, recordDigest, 0);
	}

	/** The next chain value, after the record digest at {@code offset} of {@code digests}. */
	public byte[] chain(byte[] previous, byte[] digests, int offset) {
		this.sha256.reset();
		this.sha256.update(previous);
		this.sha256.update(digests, offset, LENGTH);
		return this.sha256.digest();
	}

	public static String hex(byte[] chain) {
		return HexFormat.of().formatHex(chain);
	}

	public static byte[] fromHex(String hex) {
		return (hex == null) ? Arrays.copyOf(EMPTY, EMPTY.length) : HexFormat.of().parseHex(hex);
	}

	private void putInt(int value) {
		this.number.clear();
		this.number.putInt(value);
		this.sha256.update(this.number.array(), 0, Integer.BYTES);
	}

	private void putLong(long value) {
		this.number.clear();
		this.number.putLong(value);
		this.sha256.update(this.number.array(), 0, Long.BYTES);
	}

}
