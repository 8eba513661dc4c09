package io.kafkadr.backup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import io.kafkadr.archive.ArchiveJson;
import io.kafkadr.storage.OwnerOnly;

/**
 * The closed segments of a partition being backed up, one JSON line each, in the partition's
 * directory ({@value #FILE}). A segment's entry is appended (and forced) when the writer rolls to
 * the next one; the step's execution context keeps only how many entries its last commit counted,
 * so a commit costs the same for the 10,000th segment as for the first. On a restart, entries past
 * that count (from a chunk that never committed) are cut off.
 */
final class ClosedSegmentLog {

	static final String FILE = "closed-segments.jsonl";

	private final Path file;

	ClosedSegmentLog(Path partitionDirectory) {
		this.file = partitionDirectory.resolve(FILE);
	}

	/** The first {@code count} entries: those the last commit knows. */
	List<SegmentWriter.PartitionState.Segment> read(int count) {
		List<SegmentWriter.PartitionState.Segment> segments = new ArrayList<>(count);
		if (count == 0) {
			return segments;
		}
		try (BufferedReader reader = Files.newBufferedReader(this.file, StandardCharsets.UTF_8)) {
			for (String line = reader.readLine(); line != null && segments.size() < count; line = reader.readLine()) {
				segments.add(ArchiveJson.MAPPER.readValue(line, SegmentWriter.PartitionState.Segment.class));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + this.file, ex);
		}
		if (segments.size() < count) {
			throw new IllegalStateException(this.file + " lists " + segments.size() + " closed segments but the last"
					+ " committed chunk counted " + count + ": the storage lost data that was written and forced. Delete"
					+ " the backup directory and take a new backup.");
		}
		return segments;
	}

	/** Keeps the first {@code count} entries, dropping those of a chunk that never committed. */
	void truncate(int count) {
		List<SegmentWriter.PartitionState.Segment> kept = read(count);
		if (!Files.exists(this.file)) {
			return;
		}
		try (FileChannel channel = FileChannel.open(this.file, StandardOpenOption.WRITE)) {
			long length = 0;
			for (SegmentWriter.PartitionState.Segment segment : kept) {
				length += line(segment).length;
			}
			channel.truncate(length);
			channel.force(false);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot truncate " + this.file, ex);
		}
	}

	/** Appends a closed segment and forces it to disk. */
	void append(SegmentWriter.PartitionState.Segment segment) {
		try {
			OwnerOnly.directories(this.file.getParent());
			try (FileChannel channel = OwnerOnly.open(this.file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.APPEND)) {
				ByteBuffer bytes = ByteBuffer.wrap(line(segment));
				while (bytes.hasRemaining()) {
					channel.write(bytes);
				}
				channel.force(false);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + this.file, ex);
		}
	}

	private static byte[] line(SegmentWriter.PartitionState.Segment segment) {
		return (ArchiveJson.MAPPER.writeValueAsString(segment) + "\n").getBytes(StandardCharsets.UTF_8);
	}

}
