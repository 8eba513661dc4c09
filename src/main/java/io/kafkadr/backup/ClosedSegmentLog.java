package io.kafkadr.backup;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.kafkadr.archive.ArchiveJson;
import io.kafkadr.storage.ObjectStore;

/**
 * The closed segments of a partition being backed up, one JSON line each, beside them
 * ({@value #FILE}), extended when the writer rolls to the next segment ({@link ObjectStore#extend});
 * the step's execution context keeps only how many entries its last commit counted, so a commit
 * costs the same for the 10,000th segment as for the first. On a restart, entries past that count (from a chunk that never
 * committed) are cut off.
 */
final class ClosedSegmentLog {

	static final String FILE = "closed-segments.jsonl";

	private final ObjectStore store;

	private final String key;

	/** @param directory the key prefix of the partition's segments, ending in '/' */
	ClosedSegmentLog(ObjectStore store, String directory) {
		this.store = store;
		this.key = directory + FILE;
	}

	/** The first {@code count} entries: those the last commit knows. */
	List<SegmentWriter.PartitionState.Segment> read(int count) {
		List<SegmentWriter.PartitionState.Segment> segments = new ArrayList<>(count);
		if (count == 0) {
			return segments;
		}
		if (this.store.exists(this.key)) {
			try (BufferedReader reader = new BufferedReader(
					new InputStreamReader(this.store.read(this.key), StandardCharsets.UTF_8))) {
				for (String line = reader.readLine(); line != null && segments.size() < count; line = reader.readLine()) {
					segments.add(ArchiveJson.MAPPER.readValue(line, SegmentWriter.PartitionState.Segment.class));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read " + this.store.describe(this.key), ex);
			}
		}
		if (segments.size() < count) {
			throw new IllegalStateException(this.store.describe(this.key) + " lists " + segments.size() + " closed"
					+ " segments but the last committed chunk counted " + count + ": the storage lost data that was"
					+ " written. Delete the backup directory and take a new backup.");
		}
		return segments;
	}

	/** Keeps the first {@code count} entries, dropping those of a chunk that never committed. */
	void truncate(int count) {
		List<SegmentWriter.PartitionState.Segment> kept = read(count);
		if (this.store.exists(this.key)) {
			ByteArrayOutputStream lines = new ByteArrayOutputStream();
			kept.forEach(segment -> lines.writeBytes(line(segment)));
			this.store.write(this.key, lines.toByteArray());
		}
	}

	/** Appends a closed segment; the log is durable when this returns. */
	void append(SegmentWriter.PartitionState.Segment segment) {
		this.store.extend(this.key, line(segment));
	}

	private static byte[] line(SegmentWriter.PartitionState.Segment segment) {
		return (ArchiveJson.MAPPER.writeValueAsString(segment) + "\n").getBytes(StandardCharsets.UTF_8);
	}

}
