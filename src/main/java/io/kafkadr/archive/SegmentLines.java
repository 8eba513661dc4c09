package io.kafkadr.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the lines of a segment in order, as bytes (a line is parsed straight from them, never turned
 * into a {@code String} first), counting them so errors can name the line. A line ends at a newline;
 * a carriage return before it is not part of it.
 */
public final class SegmentLines implements AutoCloseable {

	private final String description;

	private final InputStream in;

	private byte[] buffer = new byte[1 << 16];

	/** Read but not yet handed out: {@code buffer[start, end)}, searched for a newline up to {@code scanned}. */
	private int start;

	private int end;

	private int scanned;

	private int lineOffset;

	private int lineLength;

	private long lineNumber;

	/**
	 * @param stored the segment's bytes as stored, closed with this
	 * @param name the segment's name or path, whose ending tells its compression
	 * @param description where the segment is, for messages
	 */
	public SegmentLines(InputStream stored, String name, String description) {
		this.description = description;
		try {
			this.in = SegmentCompression.of(name).reader(stored);
		}
		catch (IOException ex) {
			try {
				stored.close();
			}
			catch (IOException suppressed) {
				ex.addSuppressed(suppressed);
			}
			throw new UncheckedIOException("Cannot read the segment " + description, ex);
		}
	}

	/**
	 * Moves to the next line; false at the end. The line is then {@link #length()} bytes of
	 * {@link #buffer()} from {@link #offset()}, valid until the next call.
	 */
	public boolean advance() {
		try {
			while (true) {
				for (int i = this.scanned; i < this.end; i++) {
					if (this.buffer[i] == '\n') {
						take(i, i + 1);
						return true;
					}
				}
				this.scanned = this.end;
				if (this.start > 0) {
					System.arraycopy(this.buffer, this.start, this.buffer, 0, this.end - this.start);
					this.end -= this.start;
					this.scanned -= this.start;
					this.start = 0;
				}
				if (this.end == this.buffer.length) {
					// A line longer than the buffer: one record's line, so the buffer grows to the largest record.
					this.buffer = Arrays.copyOf(this.buffer, this.buffer.length * 2);
				}
				int read = this.in.read(this.buffer, this.end, this.buffer.length - this.end);
				if (read < 0) {
					if (this.end > this.start) {
						take(this.end, this.end);
						return true;
					}
					return false;
				}
				this.end += read;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the segment " + this.description + " after line " + this.lineNumber
					+ ": " + ex.getMessage(), ex);
		}
	}

	private void take(int lineEnd, int next) {
		this.lineOffset = this.start;
		this.lineLength = lineEnd - this.start;
		if (this.lineLength > 0 && this.buffer[lineEnd - 1] == '\r') {
			this.lineLength--;
		}
		this.start = next;
		this.scanned = next;
		this.lineNumber++;
	}

	public byte[] buffer() {
		return this.buffer;
	}

	public int offset() {
		return this.lineOffset;
	}

	public int length() {
		return this.lineLength;
	}

	/** The next line as text, or null at the end. */
	public String next() {
		return advance() ? new String(this.buffer, this.lineOffset, this.lineLength, StandardCharsets.UTF_8) : null;
	}

	/** The number of the line read last, counting from 1. */
	public long lineNumber() {
		return this.lineNumber;
	}

	@Override
	public void close() {
		try {
			this.in.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
