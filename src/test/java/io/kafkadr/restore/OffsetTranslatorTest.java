package io.kafkadr.restore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.EncodedBlock;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.RecordLineWriter;
import io.kafkadr.archive.SegmentAppender;
import io.kafkadr.archive.SegmentCompression;
import io.kafkadr.avro.WireFormat;
import io.kafkadr.testing.LocalFiles;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Committed offsets translated across the gaps of a source partition (compaction, transaction
 * markers, retention) into the target, where the restored records lie back to back: the example of
 * {@link OffsetTranslator}'s documentation, over two segments, with and without a point in time.
 */
class OffsetTranslatorTest {

	private static final long TARGET_START = 100;

	/** Source offsets 5, 6, 9 | 10, 14 in two segments; 7, 8 and 11 to 13 are gaps. */
	private static final long[][] SEGMENTS = { { 5, 6, 9 }, { 10, 14 } };

	private static final long FIRST_TIMESTAMP = 1_700_000_000_000L;

	@TempDir
	Path storage;

	private BackupDirectory backup;

	private Manifest.Partition partition;

	@BeforeEach
	void writeTheSegments() throws IOException {
		this.backup = new BackupStorage(this.storage).backup("gaps");
		TopicPartition topicPartition = new TopicPartition("orders", 0);
		Path directory = LocalFiles.of(this.backup, BackupDirectory.partitionPath(topicPartition));
		RecordLineWriter lines = new RecordLineWriter(false, WireFormat.CONFLUENT, (kind, id) -> null, true);
		List<Manifest.Segment> segments = new ArrayList<>();
		long records = 0;
		for (long[] offsets : SEGMENTS) {
			List<ConsumerRecord<byte[], byte[]>> block = new ArrayList<>();
			for (long offset : offsets) {
				// one timestamp per offset, so that a point in time can fall between any two records
				block.add(new ConsumerRecord<>("orders", 0, offset, FIRST_TIMESTAMP + offset, TimestampType.CREATE_TIME, 0, 0,
						("key-" + offset).getBytes(StandardCharsets.UTF_8), "value".getBytes(StandardCharsets.UTF_8),
						new RecordHeaders(), Optional.empty()));
			}
			EncodedBlock encoded = lines.encode(block);
			Path file = directory.resolve(BackupDirectory.segmentName(offsets[0], SegmentCompression.ZSTD));
			try (SegmentAppender appender = LocalFiles.appender(file)) {
				appender.append(encoded.lines(), 0, encoded.length());
			}
			segments.add(new Manifest.Segment(BackupDirectory.partitionPath(topicPartition) + file.getFileName(), offsets.length,
					offsets[0], offsets[offsets.length - 1], Files.size(file), null));
			records += offsets.length;
		}
		this.partition = new Manifest.Partition(0, 5, 15, records, 5L, 14L, null, segments, 0L, null, null);
	}

	@Test
	void anOffsetBecomesTheTargetStartPlusTheRestoredRecordsBeforeIt() {
		Map<Long, Long> translated = translate(null, 3, 5, 6, 7, 8, 9, 10, 12, 14, 15, 99);
		assertThat(translated).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(Map.entry(3L, 100L), Map.entry(5L, 100L),
				Map.entry(6L, 101L), Map.entry(7L, 102L), Map.entry(8L, 102L), Map.entry(9L, 102L), Map.entry(10L, 103L),
				Map.entry(12L, 104L), Map.entry(14L, 104L), Map.entry(15L, 105L), Map.entry(99L, 105L)));
	}

	@Test
	void offsetsPastTheFirstSegmentAreTranslatedFromItsCountAlone() throws IOException {
		// Without a point in time, a segment wholly before the offsets is counted from the manifest and never opened.
		Files.delete(LocalFiles.of(this.backup, this.partition.segments().get(0).file()));
		assertThat(translate(null, 10, 14, 15)).containsExactlyInAnyOrderEntriesOf(
				Map.of(10L, 103L, 14L, 104L, 15L, 105L));
	}

	@Test
	void aPointInTimeTranslatesEverythingAfterItToTheEndOfWhatWasRestored() {
		Instant untilOffset9 = Instant.ofEpochMilli(FIRST_TIMESTAMP + 9);
		assertThat(translate(untilOffset9, 5, 9, 10, 14, 15)).containsExactlyInAnyOrderEntriesOf(
				Map.of(5L, 100L, 9L, 102L, 10L, 103L, 14L, 103L, 15L, 103L));
	}

	@Test
	void noOffsetsNothingTranslated() {
		assertThat(translate(null)).isEmpty();
	}

	private Map<Long, Long> translate(Instant until, long... sourceOffsets) {
		RestorePlan plan = new RestorePlan(List.of(), new RestoreOptions(null, Map.of(), until, false, null, null, null));
		TreeSet<Long> offsets = new TreeSet<>();
		for (long offset : sourceOffsets) {
			offsets.add(offset);
		}
		return new OffsetTranslator(this.backup, plan).translate(this.partition, TARGET_START, offsets);
	}

}
