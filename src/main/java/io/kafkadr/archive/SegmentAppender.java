package io.kafkadr.archive;

import io.kafkadr.storage.OwnerOnly;
import io.kafkadr.storage.StorageException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends blocks of lines to a segment file, each block as one complete member of the segment's
 * compression (see {@link SegmentCompression}: readers read concatenated members as one stream). A chunk is on disk, forced,
 * when {@link #append} returns, so the file length after it is a safe point to resume from: a
 * restarted backup cuts the file back to the length its last committed chunk left.
 */
public final class SegmentAppender implements AutoCloseable {

	private static final int BUFFER = 1 << 16;

	private final Path file;

	private final SegmentCompression compression;

	private final FileChannel channel;

	private long length;

	/**
	 * Opens a segment for appending at {@code committedLength}, discarding anything after it (the
	 * writes of a chunk whose commit never happened).
	 */
	public SegmentAppender(Path file, long committedLength) {
		this.file = file;
		this.compression = SegmentCompression.of(file.getFileName().toString());
		try {
			OwnerOnly.directories(file.getParent());
			this.channel = OwnerOnly.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			long size = this.channel.size();
			if (size < committedLength) {
				this.channel.close();
				throw new StorageException("The segment " + file + " holds " + size + " bytes but its last committed chunk"
						+ " ended at " + committedLength + ": the storage lost data that was written and forced. Delete the"
						+ " backup directory and take a new backup.");
			}
			this.channel.truncate(committedLength);
			this.channel.position(committedLength);
			this.length = committedLength;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open the segment " + file, ex);
		}
	}

	/** Appends the lines (each ending in a newline) as one member and forces them to disk; returns the new file length. */
	public long append(byte[] lines) {
		return append(lines, 0, lines.length);
	}

	/** Appends {@code length} bytes of lines from {@code offset}, as {@link #append(byte[])} does. */
	public long append(byte[] lines, int offset, int length) {
		try {
			OutputStream file = Channels.newOutputStream(this.channel);
			try (OutputStream member = this.compression
				.member(new BufferedOutputStream(new NonClosing(file), BUFFER))) {
				member.write(lines, offset, length);
			}
			this.channel.force(false);
			this.length = this.channel.position();
			return this.length;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the segment " + this.file, ex);
		}
	}

	public long length() {
		return this.length;
	}

	@Override
	public void close() {
		try {
			this.channel.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot close the segment " + this.file, ex);
		}
	}

	/** Lets a member end without closing the segment's channel. */
	private static final class NonClosing extends java.io.FilterOutputStream {

		NonClosing(OutputStream out) {
			super(out);
		}

		// FilterOutputStream would otherwise pass arrays on a byte at a time.
		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			this.out.write(bytes, offset, length);
		}

		@Override
		public void close() throws IOException {
			flush();
		}

	}

}
