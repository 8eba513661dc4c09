package io.kafkadr.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.HexFormat;

import io.kafkadr.encryption.BlockEncryptor;
import io.kafkadr.storage.Append;
import io.kafkadr.storage.AppendTarget;
import io.kafkadr.storage.ObjectStore;

/**
 * Appends blocks of lines to a segment, each block as one complete member of the segment's
 * compression (see {@link SegmentCompression}: readers read concatenated members as one stream). A
 * block is durable when {@link #append} returns, so the position it returns is a safe point to
 * resume from: a restarted backup reopens the segment there, discarding what came after.
 *
 * <p>A segment written from its first byte by one appender has its SHA-256 computed on the way
 * ({@link #sha256}), so that sealing a backup need not read every segment back (from S3, a second
 * transfer of the whole backup); one that a restart continued is read back instead.
 */
public final class SegmentAppender implements AutoCloseable {

	private final String description;

	private final SegmentCompression compression;

	private final AppendTarget target;

	/** Null for a segment written in the clear. */
	private final BlockEncryptor encryptor;

	private Append position;

	private final ByteArrayOutputStream member = new ByteArrayOutputStream(1 << 16);

	/** Of every byte stored, when this appender stored them all; null for a segment a restart continued. */
	private final MessageDigest digest;

	/**
	 * Opens a segment for appending at the position its last committed chunk recorded, discarding
	 * anything after it (the writes of a chunk whose commit never happened).
	 */
	public SegmentAppender(ObjectStore store, String key, Append committed) {
		this(store, key, committed, null);
	}

	/** As {@link #SegmentAppender(ObjectStore, String, Append)}, encrypting every member as a block of its own. */
	SegmentAppender(ObjectStore store, String key, Append committed, BlockEncryptor encryptor) {
		this.description = store.describe(key);
		this.compression = SegmentCompression.of(key);
		this.encryptor = encryptor;
		this.position = committed;
		this.target = store.append(key, committed);
		this.digest = (committed.bytes() == 0) ? Checksums.sha256() : null;
	}

	/** Appends the lines (each ending in a newline) as one member; returns the segment's new position. */
	public Append append(byte[] lines) {
		return append(lines, 0, lines.length);
	}

	/** Appends {@code length} bytes of lines from {@code offset}, as {@link #append(byte[])} does. */
	public Append append(byte[] lines, int offset, int length) {
		this.member.reset();
		try (OutputStream out = this.compression.member(this.member)) {
			out.write(lines, offset, length);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot compress a block of the segment " + this.description, ex);
		}
		byte[] stored = (this.encryptor != null)
				? this.encryptor.encrypt(this.member.toByteArray(), 0, this.member.size(), this.position.bytes())
				: this.member.toByteArray();
		this.position = this.target.append(stored, 0, stored.length);
		if (this.digest != null) {
			this.digest.update(stored);
		}
		return this.position;
	}

	/** The id of the key the segment is encrypted with; null for one written in the clear. */
	public String keyId() {
		return (this.encryptor != null) ? this.encryptor.keyId() : null;
	}

	/**
	 * The SHA-256 of the segment as stored so far, as the manifest records it; null when this
	 * appender did not store all of it.
	 */
	public String sha256() {
		if (this.digest == null) {
			return null;
		}
		try {
			return HexFormat.of().formatHex(((MessageDigest) this.digest.clone()).digest());
		}
		catch (CloneNotSupportedException ex) {
			throw new IllegalStateException("The JDK's SHA-256 can be cloned", ex);
		}
	}

	/** Ends the segment; see {@link AppendTarget#finish}. */
	public Append finish() {
		return this.target.finish();
	}

	@Override
	public void close() {
		this.target.close();
	}

}
