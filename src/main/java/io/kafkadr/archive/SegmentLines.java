package io.kafkadr.archive;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the lines of a segment in order, counting them so errors can name the line. */
public final class SegmentLines implements AutoCloseable {

	private final Path file;

	private final BufferedReader reader;

	private long lineNumber;

	public SegmentLines(Path file) {
		this.file = file;
		try {
			this.reader = new BufferedReader(
					new InputStreamReader(SegmentCompression.of(file.getFileName().toString())
						.reader(Files.newInputStream(file)), StandardCharsets.UTF_8),
					1 << 16);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the segment " + file, ex);
		}
	}

	/** The next line, or null at the end. */
	public String next() {
		try {
			String line = this.reader.readLine();
			if (line != null) {
				this.lineNumber++;
			}
			return line;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the segment " + this.file + " after line " + this.lineNumber, ex);
		}
	}

	/** The number of the line {@link #next} returned last, counting from 1. */
	public long lineNumber() {
		return this.lineNumber;
	}

	@Override
	public void close() {
		try {
			this.reader.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
