package io.kafkadr.restore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.testing.CdcCorpus;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.DirectoryCopy;
import io.kafkadr.testing.LocalFiles;
import io.kafkadr.testing.ManifestPartitions;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SourceRecords;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full backup of a CDC pipeline, then changes (new events, a new schema version, a new topic, a
 * topic deleted, a topic deleted and created again, the consumer group moved on, and records
 * deleted by {@code deleteRecords} before the next backup could read them), then an incremental
 * backup: the incremental holds exactly what is new, says where the gap is, and its chain restored
 * into an empty cluster and a fresh registry holds every record both backups read, byte for byte.
 */
@Tag("integration")
class IncrementalChainTest {

	private static final String FULL = "monday";

	private static final String INCREMENTAL = "tuesday";

	private static Sandboxes source;

	private static Sandboxes target;

	@TempDir
	static Path storage;

	/** Every selected partition's records when the full backup was taken. */
	private static Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> atFull;

	/** Every partition of the incremental backup's topics once it was taken. */
	private static Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> atIncremental;

	private static CommandRun incremental;

	@BeforeAll
	static void backUpTwice() throws Exception {
		source = Sandboxes.start();
		target = Sandboxes.start();
		new CdcCorpus(source.bootstrapServers(), source.registryClient()).seed();
		CommandRun full = backup(FULL);
		assertThat(full.exitCode()).as(full.toString()).isZero();
		assertThat(full.out()).contains("type: full");
		atFull = SourceRecords.read(source.bootstrapServers(), ManifestPartitions.of(manifest(FULL)));
		new CdcCorpus(source.bootstrapServers(), source.registryClient()).change();
		incremental = backup(INCREMENTAL);
		assertThat(incremental.exitCode()).as(incremental.toString()).isZero();
		atIncremental = SourceRecords.read(source.bootstrapServers(), ManifestPartitions.of(manifest(INCREMENTAL)));
	}

	@AfterAll
	static void stop() {
		source.close();
		target.close();
	}

	@Test
	void anIncrementalHoldsOnlyTheRecordsNewSinceItsBase() throws Exception {
		assertThat(incremental.out()).contains("type: incremental (continues " + FULL + ")");
		Manifest base = manifest(FULL);
		Manifest manifest = manifest(INCREMENTAL);
		assertThat(base.formatVersion()).isEqualTo(2);
		assertThat(manifest.formatVersion()).isEqualTo(3);
		assertThat(manifest.base().backupId()).isEqualTo(FULL);
		assertThat(manifest.base().manifestSha256())
			.isEqualTo(LocalFiles.sha256(storage.resolve(FULL).resolve(BackupDirectory.MANIFEST)));
		assertThat(manifest.base().removedTopics()).containsExactly(CdcCorpus.EMPTY);
		assertThat(manifest.base().recreatedTopics()).containsExactly(CdcCorpus.BINARY);
		assertThat(incremental.out()).contains("[" + CdcCorpus.BINARY + "] were deleted and created again");
		long expectedTotal = 0;
		for (Manifest.Topic topic : manifest.topics()) {
			for (Manifest.Partition partition : topic.partitions()) {
				TopicPartition tp = new TopicPartition(topic.name(), partition.partition());
				List<ConsumerRecord<byte[], byte[]>> now = atIncremental.get(tp);
				Manifest.Partition before = ManifestPartitions.find(base, tp);
				long expected;
				if (topic.name().equals(CdcCorpus.BINARY) || before == null) {
					assertThat(partition.base()).as(tp + " held whole").isNull();
					expected = now.size();
				}
				else {
					assertThat(partition.base().endOffset()).as(tp + " continues its base").isEqualTo(before.endOffset());
					assertThat(partition.base().contentDigest()).isEqualTo(before.contentDigest());
					expected = now.stream().filter(r -> r.offset() >= before.endOffset()).count();
					assertThat(partition.gap()).as(tp + " gap")
						.isEqualTo(tp.equals(new TopicPartition(CdcCorpus.AUDIT, 0)) ? 5 : 0);
				}
				assertThat(partition.records()).as("records of " + tp + " in the incremental").isEqualTo(expected);
				expectedTotal += expected;
			}
		}
		assertThat(manifest.totals().records()).isEqualTo(expectedTotal).isLessThan(base.totals().records());
	}

	@Test
	void aGapIsInTheSummaryAndTheHistory() {
		assertThat(incremental.out()).contains("warning: a gap in the chain: the broker deleted 5 offsets after " + FULL,
				CdcCorpus.AUDIT + "-0 offsets 20-24");
		CommandRun history = CommandRun.of(source.properties(storage), "history", "--json");
		assertThat(history.exitCode()).as(history.toString()).isZero();
		JsonNode tuesday = null;
		for (JsonNode execution : JsonMapper.builder().build().readTree(history.out()).values()) {
			if (INCREMENTAL.equals(execution.path("backupId").asString(null))) {
				tuesday = execution;
			}
		}
		assertThat(tuesday).as(history.out()).isNotNull();
		assertThat(tuesday.path("type").asString()).isEqualTo("incremental");
		assertThat(tuesday.path("base").asString()).isEqualTo(FULL);
		assertThat(tuesday.path("status").asString()).isEqualTo("COMPLETED");
		assertThat(tuesday.path("failure").asString()).contains("gap in the chain", CdcCorpus.AUDIT + "-0 offsets 20-24");
		CommandRun text = CommandRun.of(source.properties(storage), "history");
		assertThat(text.out()).contains("incremental backup " + INCREMENTAL + " (continues " + FULL + ")",
				"full backup " + FULL);
	}

	@Test
	void theChainRestoresEveryRecordBothBackupsRead() throws Exception {
		CommandRun verify = CommandRun.of(source.properties(storage), "verify", "--backup-id", INCREMENTAL);
		assertThat(verify.exitCode()).as(verify.toString()).isZero();

		CommandRun restore = CommandRun.of(target.properties(storage), "restore", "--backup-id", INCREMENTAL);
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		assertThat(restore.out()).contains("Validation PASSED");

		Manifest manifest = manifest(INCREMENTAL);
		Manifest base = manifest(FULL);
		RestoreAssertions.Schemas schemas = new RestoreAssertions.Schemas(source.registryClient(),
				target.registryClient());
		Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> restored = SourceRecords
			.read(target.bootstrapServers(), ManifestPartitions.of(manifest));
		for (Manifest.Topic topic : manifest.topics()) {
			for (Manifest.Partition partition : topic.partitions()) {
				TopicPartition tp = new TopicPartition(topic.name(), partition.partition());
				List<ConsumerRecord<byte[], byte[]>> now = atIncremental.get(tp);
				List<ConsumerRecord<byte[], byte[]>> expected = new ArrayList<>();
				if (partition.base() == null) {
					expected.addAll(now);
				}
				else {
					long baseEnd = ManifestPartitions.find(base, tp).endOffset();
					expected.addAll(atFull.get(tp));
					now.stream().filter(r -> r.offset() >= baseEnd).forEach(expected::add);
				}
				RestoreAssertions.assertSameRecords(tp, expected, restored.get(tp), "avro".equals(topic.kind()), schemas);
			}
		}
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", target.bootstrapServers()))) {
			assertThat(admin.listTopics().names().get()).doesNotContain(CdcCorpus.EMPTY);
			Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(CdcCorpus.GROUP)
				.partitionsToOffsetAndMetadata()
				.get();
			// The group moved on between the backups: its offsets come from the incremental, translated over the chain.
			for (int partition : List.of(0, 1)) {
				TopicPartition tp = new TopicPartition(CdcCorpus.USERS, partition);
				long sourceOffset = (partition == 0) ? 20 : 31;
				List<ConsumerRecord<byte[], byte[]>> sourceRecords = atIncremental.get(tp);
				List<ConsumerRecord<byte[], byte[]>> targetRecords = restored.get(tp);
				int index = 0;
				while (sourceRecords.get(index).offset() < sourceOffset) {
					index++;
				}
				assertThat(committed.get(tp).offset()).as(tp.toString()).isEqualTo(targetRecords.get(index).offset());
			}
		}
	}

	@Test
	void untilPicksAPointInsideTheChain() {
		long until = atFull.values().stream().flatMap(List::stream).mapToLong(ConsumerRecord::timestamp).max().orElseThrow();
		Manifest manifest = manifest(INCREMENTAL);
		Manifest base = manifest(FULL);
		Map<String, Long> expected = new TreeMap<>();
		long all = 0;
		for (Manifest.Topic topic : manifest.topics()) {
			long count = 0;
			for (Manifest.Partition partition : topic.partitions()) {
				TopicPartition tp = new TopicPartition(topic.name(), partition.partition());
				List<ConsumerRecord<byte[], byte[]>> chain = new ArrayList<>(atIncremental.get(tp));
				if (partition.base() != null) {
					long baseEnd = ManifestPartitions.find(base, tp).endOffset();
					chain.removeIf(r -> r.offset() < baseEnd);
					chain.addAll(0, atFull.get(tp));
				}
				count += chain.stream().filter(r -> r.timestamp() <= until).count();
				all += chain.size();
			}
			expected.put(topic.name(), count);
		}
		long restored = expected.values().stream().mapToLong(Long::longValue).sum();
		assertThat(restored).as("the point lies inside the chain").isPositive().isLessThan(all);

		CommandRun dryRun = CommandRun.of(target.properties(storage), "restore", "--backup-id", INCREMENTAL, "--dry-run",
				"--json", "--until", Instant.ofEpochMilli(until).toString());
		assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
		Map<String, Long> planned = new TreeMap<>();
		for (JsonNode topic : JsonMapper.builder().build().readTree(dryRun.out()).path("topics").values()) {
			planned.put(topic.path("source").asString(), topic.path("records").asLong());
		}
		assertThat(planned).isEqualTo(expected);
	}

	@Test
	void aChainWithALinkDamagedOrGoneIsReportedAndNotRestored(@TempDir Path copy) throws Exception {
		DirectoryCopy.copy(storage.resolve(FULL), copy.resolve(FULL));
		DirectoryCopy.copy(storage.resolve(INCREMENTAL), copy.resolve(INCREMENTAL));
		Manifest.Segment segment = manifest(FULL).topics().getFirst().partitions().getFirst().segments().getFirst();
		Path file = copy.resolve(FULL).resolve(segment.file());
		byte[] bytes = Files.readAllBytes(file);
		bytes[bytes.length / 2] ^= 1;
		Files.write(file, bytes);
		CommandRun verify = CommandRun.of(source.properties(copy), "verify", "--backup-id", INCREMENTAL);
		assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(1);
		assertThat(verify.out() + verify.err()).contains("../" + FULL + "/" + segment.file(), "SHA-256");

		new BackupStorage(copy).delete(new BackupStorage(copy).backup(FULL));
		CommandRun gone = CommandRun.of(source.properties(copy), "verify", "--backup-id", INCREMENTAL);
		assertThat(gone.exitCode()).as(gone.toString()).isEqualTo(1);
		assertThat(gone.out() + gone.err()).contains("continues " + FULL + ", which is gone from the storage location");
		CommandRun restore = CommandRun.of(target.properties(copy), "restore", "--backup-id", INCREMENTAL, "--dry-run");
		assertThat(restore.exitCode()).as(restore.toString()).isEqualTo(2);
		assertThat(restore.out() + restore.err()).contains("continues " + FULL + ", which is gone");
	}

	@Test
	void incrementalIsRefusedWhereThereIsNothingToContinue(@TempDir Path empty) {
		CommandRun refused = CommandRun.of(source.properties(empty, "--kafka-dr.topics.raw=" + CdcCorpus.AUDIT), "backup",
				"--incremental");
		assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
		assertThat(refused.out() + refused.err()).contains("--incremental: there is no backup to continue",
				"holds no complete backup");
		assertThat(new BackupStorage(empty).backups()).isEmpty();
	}

	private static CommandRun backup(String id) {
		return CommandRun.of(source.properties(storage, "--kafka-dr.topics.avro=postgres\\.public\\..*",
				"--kafka-dr.topics.raw=connect-offsets,binary-events,audit-log,blobs"), "backup", "--backup-id", id);
	}

	private static Manifest manifest(String id) {
		return new BackupStorage(storage).backup(id).manifest();
	}

}
