package io.kafkadr.backup;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import io.kafkadr.archive.ArchiveJson;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.ContentDigest;
import io.kafkadr.archive.EncodedBlock;
import io.kafkadr.archive.SegmentCompression;
import io.kafkadr.archive.SegmentLines;
import io.kafkadr.storage.ObjectStore;
import io.kafkadr.testing.LocalFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partition writer's state as a step commits it: the same size for the 10,000th segment as for
 * the first (the closed segments are listed in the partition's directory, not in the context), and
 * a restart from an earlier commit cuts back exactly what later, uncommitted chunks wrote.
 */
class SegmentWriterTest {

	private static final String PATH = "topics/t/0/";

	@TempDir
	Path root;

	private BackupDirectory backup;

	private ObjectStore store;

	/** Where the writers put the partition's segments. */
	private Path directory;

	@BeforeEach
	void backup() {
		this.backup = new BackupStorage(this.root).backup("b");
		this.store = this.backup.store();
		this.directory = this.root.resolve("b").resolve(PATH);
	}

	@Test
	void theCommittedStateDoesNotGrowWithTheNumberOfSegments() {
		// A segment size of one byte: every chunk closes the segment before it.
		SegmentWriter writer = new SegmentWriter(this.backup, PATH, 1, SegmentCompression.ZSTD);
		ExecutionContext context = new ExecutionContext();
		writer.open(context);
		int firstStateLength = 0;
		for (long offset = 0; offset < 10_000; offset++) {
			writer.write(new Chunk<>(List.of(record(offset))));
			writer.update(context);
			int length = context.getString(SegmentWriter.STATE).length();
			if (offset == 1) {
				firstStateLength = length;
			}
			if (offset == 9_999) {
				// Only the numbers in it grow a few digits longer.
				assertThat(length).isLessThanOrEqualTo(firstStateLength + 6 * 4);
			}
		}
		writer.close();
		SegmentWriter.PartitionState state = SegmentWriter.state(context, this.store, this.backup.key(PATH));
		assertThat(state.closedSegments()).isEqualTo(9_999);
		assertThat(state.records()).isEqualTo(10_000);
		List<SegmentWriter.PartitionState.Segment> segments = SegmentWriter.segments(state, this.store, this.backup.key(PATH));
		assertThat(segments).hasSize(10_000);
		assertThat(segments.get(0).firstOffset()).isZero();
		assertThat(segments.get(9_999).lastOffset()).isEqualTo(9_999);
	}

	@Test
	void aRestartFromAnEarlierCommitCutsBackWhatLaterChunksWrote() throws Exception {
		SegmentWriter writer = new SegmentWriter(this.backup, PATH, 1, SegmentCompression.ZSTD);
		ExecutionContext context = new ExecutionContext();
		writer.open(context);
		for (long offset = 0; offset < 5; offset++) {
			writer.write(new Chunk<>(List.of(record(offset))));
			writer.update(context);
		}
		ExecutionContext committed = new ExecutionContext(context);
		// Three more chunks whose commits never happen (the process is killed).
		for (long offset = 5; offset < 8; offset++) {
			writer.write(new Chunk<>(List.of(record(offset))));
		}
		writer.close();
		assertThat(segmentFiles()).hasSize(8);

		SegmentWriter resumed = new SegmentWriter(this.backup, PATH, 1, SegmentCompression.ZSTD);
		resumed.open(committed);
		assertThat(segmentFiles()).hasSize(5);
		for (long offset = 5; offset < 7; offset++) {
			resumed.write(new Chunk<>(List.of(record(offset))));
			resumed.update(committed);
		}
		resumed.close();
		SegmentWriter.PartitionState state = SegmentWriter.state(committed, this.store, this.backup.key(PATH));
		List<SegmentWriter.PartitionState.Segment> segments = SegmentWriter.segments(state, this.store, this.backup.key(PATH));
		assertThat(segments).extracting(SegmentWriter.PartitionState.Segment::firstOffset)
			.containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
		assertThat(segmentFiles()).hasSize(7);
		try (SegmentLines lines = LocalFiles.lines(this.directory.resolve(segments.get(6).file()))) {
			assertThat(lines.next()).isEqualTo("{\"offset\":6}");
			assertThat(lines.next()).isNull();
		}
	}

	@Test
	void aSegmentWrittenWholeCarriesItsChecksumAndOneARestartContinuedDoesNot() {
		SegmentWriter writer = new SegmentWriter(this.backup, PATH, 1 << 20, SegmentCompression.ZSTD);
		ExecutionContext context = new ExecutionContext();
		writer.open(context);
		writer.write(new Chunk<>(List.of(record(0))));
		writer.write(new Chunk<>(List.of(record(1))));
		writer.update(context);
		writer.close();
		SegmentWriter.PartitionState.Segment whole = SegmentWriter.state(context, this.store, this.backup.key(PATH)).open();
		assertThat(whole.sha256()).isEqualTo(LocalFiles.sha256(this.directory.resolve(whole.file())));

		SegmentWriter resumed = new SegmentWriter(this.backup, PATH, 1 << 20, SegmentCompression.ZSTD);
		resumed.open(context);
		resumed.write(new Chunk<>(List.of(record(2))));
		resumed.update(context);
		resumed.close();
		// The resumed writer never saw the segment's first bytes: sealing reads it back instead.
		assertThat(SegmentWriter.state(context, this.store, this.backup.key(PATH)).open().sha256()).isNull();
	}

	@Test
	void resumesAPartitionWhoseStateAnOlderReleaseSavedWithEverySegmentInIt() throws Exception {
		// What the previous release committed after two chunks that each closed the segment before.
		SegmentWriter older = new SegmentWriter(this.backup, PATH, 1, SegmentCompression.GZIP);
		ExecutionContext current = new ExecutionContext();
		older.open(current);
		older.write(new Chunk<>(List.of(record(0))));
		older.write(new Chunk<>(List.of(record(1))));
		older.update(current);
		older.close();
		SegmentWriter.PartitionState state = SegmentWriter.state(current, this.store, this.backup.key(PATH));
		List<SegmentWriter.PartitionState.Segment> both = SegmentWriter.segments(state, this.store, this.backup.key(PATH));
		Files.delete(this.directory.resolve(ClosedSegmentLog.FILE));
		ExecutionContext legacy = new ExecutionContext();
		legacy.putString(SegmentWriter.STATE, "{\"segments\":" + ArchiveJson.MAPPER.writeValueAsString(both)
				+ ",\"firstOffset\":0,\"lastOffset\":1,\"records\":2,\"contentDigest\":\"" + state.contentDigest() + "\"}");

		SegmentWriter resumed = new SegmentWriter(this.backup, PATH, 1, SegmentCompression.ZSTD);
		resumed.open(legacy);
		resumed.write(new Chunk<>(List.of(record(2))));
		resumed.update(legacy);
		resumed.close();
		SegmentWriter.PartitionState after = SegmentWriter.state(legacy, this.store, this.backup.key(PATH));
		assertThat(after.records()).isEqualTo(3);
		assertThat(SegmentWriter.segments(after, this.store, this.backup.key(PATH))).extracting(SegmentWriter.PartitionState.Segment::file)
			.containsExactly(both.get(0).file(), both.get(1).file(), BackupDirectory.segmentName(2, SegmentCompression.ZSTD));
	}

	private List<Path> segmentFiles() throws Exception {
		try (Stream<Path> files = Files.list(this.directory)) {
			return files.filter(file -> file.toString().endsWith(".jsonl.zst")).toList();
		}
	}

	private static EncodedBlock record(long offset) {
		byte[] line = ("{\"offset\":" + offset + "}\n").getBytes(StandardCharsets.UTF_8);
		return new EncodedBlock(offset, offset, 1, line, line.length, new byte[ContentDigest.LENGTH], 0);
	}

}
