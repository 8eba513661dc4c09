package io.kafkadr.restore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.kafkadr.archive.ArchivedRecord;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.RecordLineReader;
import io.kafkadr.backup.BackupJobConfiguration;
import io.kafkadr.testing.BulkData;
import io.kafkadr.testing.ChildProcess;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.DirectoryCopy;
import io.kafkadr.testing.LocalFiles;
import io.kafkadr.testing.ManifestPartitions;
import io.kafkadr.testing.SameBackup;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SegmentBytes;
import io.kafkadr.testing.SourceAndTarget;
import io.kafkadr.testing.SourceRecords;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A chain of a full and two incremental backups whose second incremental is killed with SIGKILL (a
 * real child process) while it writes its partitions and run again, then the chain's restore killed
 * while it writes topic partitions and run again: the incremental resumes as the same incremental
 * and holds exactly the new records, as an uninterrupted run does, and the chain restores every
 * record of the source exactly once.
 */
@Tag("integration")
class ChainRestartAfterKillTest {

	private static final String FULL = "monday";

	private static final String FIRST = "tuesday";

	private static final String KILLED = "wednesday";

	private static final String AVRO = "cdc.events";

	private static final String RAW = "connect-offsets";

	private static final List<String> TOPICS = List.of(AVRO, RAW);

	private static final int AVRO_PARTITIONS = 2;

	/** Records per partition in the full backup, then new in each incremental. */
	private static final int[] PER_PARTITION = { 6_000, 3_000, 6_000 };

	/** Records per partition in the whole chain. */
	private static final int CHAIN_PER_PARTITION = PER_PARTITION[0] + PER_PARTITION[1] + PER_PARTITION[2];

	private static final long SEED = System.nanoTime();

	/** Where the kills land, drawn from {@link #SEED}, which the output shows. */
	private static final Random RANDOM = new Random(SEED);

	private static Sandboxes source;

	private static Sandboxes target;

	@TempDir
	static Path storage;

	/** The same chain, where the second incremental ran uninterrupted. */
	@TempDir
	static Path reference;

	/** The run that resumed the killed incremental. */
	private static ChildProcess resumed;

	@BeforeAll
	static void backUpWithAKill() throws Exception {
		System.out.println("ChainRestartAfterKillTest seed " + SEED);
		SourceAndTarget clusters = SourceAndTarget.start();
		source = clusters.source();
		target = clusters.target();
		BulkData.avro(source.bootstrapServers(), source.registryClient(), AVRO, AVRO_PARTITIONS, PER_PARTITION[0]);
		BulkData.raw(source.bootstrapServers(), RAW, 1, PER_PARTITION[0]);
		CommandRun full = CommandRun.of(selection(storage), "backup", "--backup-id", FULL);
		assertThat(full.exitCode()).as(full.toString()).isZero();
		assertThat(full.out()).contains("type: full");
		append(1);
		CommandRun first = CommandRun.of(selection(storage), "backup", "--backup-id", FIRST);
		assertThat(first.exitCode()).as(first.toString()).isZero();
		assertThat(first.out()).contains("type: incremental (continues " + FULL + ")");
		append(2);

		DirectoryCopy.copy(storage.resolve(FULL), reference.resolve(FULL));
		DirectoryCopy.copy(storage.resolve(FIRST), reference.resolve(FIRST));
		CommandRun uninterrupted = CommandRun.of(backupProperties(reference), "backup", "--backup-id", KILLED);
		assertThat(uninterrupted.exitCode()).as(uninterrupted.toString()).isZero();
		assertThat(uninterrupted.out()).contains("type: incremental (continues " + FIRST + ")");

		killTheIncremental(SegmentBytes.of(reference, KILLED));
		resumed = ChildProcess.start(backup());
		assertThat(resumed.waitFor(Duration.ofMinutes(3))).as(resumed.output()).isZero();
	}

	/** Appends the records of the {@code link}th incremental backup. */
	private static void append(int link) {
		int before = 0;
		for (int i = 0; i < link; i++) {
			before += PER_PARTITION[i];
		}
		BulkData.appendAvro(source.bootstrapServers(), source.registryClient(), AVRO, AVRO_PARTITIONS,
				PER_PARTITION[link], (long) AVRO_PARTITIONS * before);
		BulkData.appendRaw(source.bootstrapServers(), RAW, 1, PER_PARTITION[link], before);
	}

	/** Kills the incremental once it has written part of its segments, never before it began or after it sealed. */
	private static void killTheIncremental(long referenceBytes) {
		double killPoint = 0.2 + RANDOM.nextDouble() * 0.5;
		ChildProcess child = ChildProcess.start(backup());
		await("the incremental past " + killPoint + " of its segment bytes (seed " + SEED + ")")
			.atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> !child.isAlive() || SegmentBytes.of(storage, KILLED) >= referenceBytes * killPoint);
		// Stopped at once, so that it cannot seal during the checks before the kill.
		child.pause();
		assertThat(child.isAlive()).as("the incremental ended before the kill (seed " + SEED + ")\n" + child.output())
			.isTrue();
		assertThat(new BackupStorage(storage).backup(KILLED).isComplete()).isFalse();
		child.kill();
		System.out.println("killed the incremental at " + SegmentBytes.of(storage, KILLED) + " of " + referenceBytes
				+ " segment bytes");
	}

	@AfterAll
	static void stop() {
		source.close();
		target.close();
	}

	private static List<String> selection(Path location, String... more) {
		List<String> properties = new ArrayList<>(
				List.of("--kafka-dr.topics.avro=cdc\\..*", "--kafka-dr.topics.raw=" + RAW));
		properties.addAll(List.of(more));
		return source.properties(location, properties.toArray(String[]::new));
	}

	/**
	 * The killed incremental's (and its uninterrupted twin's) settings: small chunks and segments, so
	 * that the kill lands mid-way and the resumed partitions have closed segments to keep.
	 */
	private static List<String> backupProperties(Path location) {
		return selection(location, "--kafka-dr.backup.chunk-size=100", "--kafka-dr.backup.segment-size=256KB");
	}

	private static List<String> backup() {
		List<String> args = new ArrayList<>(List.of("backup", "--backup-id", KILLED));
		args.addAll(backupProperties(storage));
		return args;
	}

	@Test
	void theKilledIncrementalResumesAsTheSameIncrementalWithExactlyTheNewRecords() {
		assertThat(resumed.output()).contains("backup-id: " + KILLED, "type: incremental (continues " + FIRST + ")");
		Manifest base = manifest(storage, FIRST);
		Manifest manifest = manifest(storage, KILLED);
		assertThat(manifest.base().backupId()).isEqualTo(FIRST);
		assertThat(manifest.base().manifestSha256())
			.isEqualTo(LocalFiles.sha256(storage.resolve(FIRST).resolve(BackupDirectory.MANIFEST)));
		List<TopicPartition> partitions = ManifestPartitions.of(manifest);
		assertThat(partitions).hasSize(AVRO_PARTITIONS + 1);
		Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> now = SourceRecords.read(source.bootstrapServers(),
				partitions);
		BackupDirectory backup = new BackupStorage(storage).backup(KILLED);
		RecordLineReader reader = new RecordLineReader();
		for (Manifest.Topic topic : manifest.topics()) {
			for (Manifest.Partition partition : topic.partitions()) {
				TopicPartition tp = new TopicPartition(topic.name(), partition.partition());
				Manifest.Partition before = ManifestPartitions.find(base, tp);
				assertThat(partition.base().endOffset()).as(tp + " continues its base").isEqualTo(before.endOffset());
				assertThat(partition.base().contentDigest()).isEqualTo(before.contentDigest());
				assertThat(partition.gap()).isZero();
				// Exactly the source's records from the base's end: the same offsets and timestamps, in order.
				List<String> expected = now.get(tp)
					.stream()
					.filter(record -> record.offset() >= before.endOffset())
					.map(record -> record.offset() + "@" + record.timestamp())
					.toList();
				assertThat(expected).as("new records in the source's " + tp).hasSize(PER_PARTITION[2]);
				List<String> held = SameBackup.lines(backup, partition)
					.stream()
					.map(reader::read)
					.map((ArchivedRecord record) -> record.offset() + "@" + record.timestamp())
					.toList();
				assertThat(held).as("records of " + tp + " in the resumed incremental")
					.containsExactlyElementsOf(expected);
				assertThat(partition.records()).isEqualTo(expected.size());
			}
		}
		// The same lines, counts and content digests as the uninterrupted run of the same incremental.
		SameBackup.assertSameRecords(new BackupStorage(reference).backup(KILLED), backup,
				(AVRO_PARTITIONS + 1L) * PER_PARTITION[2]);

		List<JsonNode> executions = RestoreAssertions.executions(backupProperties(storage),
				BackupJobConfiguration.JOB_NAME, KILLED);
		assertThat(executions).extracting(e -> e.path("status").asString())
			.as("the killed run recovered as FAILED, then the resumed one")
			.containsExactly("FAILED", "COMPLETED");
		assertThat(executions).extracting(e -> e.path("instanceId").asLong())
			.containsOnly(executions.get(0).path("instanceId").asLong());
		assertThat(executions).extracting(e -> e.path("type").asString() + " " + e.path("base").asString())
			.containsOnly("incremental " + FIRST);
		// It went on from the chunks the killed run had committed, rather than reading every partition again.
		long read = RestoreAssertions.stepReadCount(executions.getLast(), "cdcTopics")
				+ RestoreAssertions.stepReadCount(executions.getLast(), "internalTopics");
		assertThat(read).as("records the resumed run read")
			.isPositive()
			.isLessThan((AVRO_PARTITIONS + 1L) * PER_PARTITION[2]);
	}

	@Test
	void theKilledRestoreOfTheChainResumesAndRestoresEveryRecordOnce() {
		long records = (AVRO_PARTITIONS + 1L) * CHAIN_PER_PARTITION;
		double killPoint = 0.45 + RANDOM.nextDouble() * 0.4;
		try (Admin admin = RestoreAssertions.admin(target)) {
			ChildProcess child = ChildProcess.start(restore());
			await("the restore past " + killPoint + " of the records (seed " + SEED + ")").atMost(Duration.ofMinutes(2))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> !child.isAlive() || RestoreAssertions.recordsIn(admin, TOPICS) >= records * killPoint);
			assertThat(child.isAlive()).as("the restore ended before the kill (seed " + SEED + ")\n" + child.output())
				.isTrue();
			child.kill();
			System.out.println("killed the restore at " + RestoreAssertions.recordsIn(admin, TOPICS) + " of " + records
					+ " records");
		}
		ChildProcess last = ChildProcess.start(restore());
		assertThat(last.waitFor(Duration.ofMinutes(3))).as(last.output()).isZero();
		assertThat(last.output()).contains("Validation PASSED");

		RestoreAssertions.assertTargetEqualsSource(source, target, storage, KILLED);
		List<JsonNode> executions = RestoreAssertions.restoreExecutions(restoreProperties());
		assertThat(executions).extracting(e -> e.path("status").asString()).containsExactly("FAILED", "COMPLETED");
		assertThat(executions).extracting(e -> e.path("instanceId").asLong())
			.containsOnly(executions.get(0).path("instanceId").asLong());
	}

	private static List<String> restoreProperties() {
		return target.properties(storage, "--kafka-dr.restore.chunk-size=200");
	}

	private static List<String> restore() {
		List<String> args = new ArrayList<>(List.of("restore", "--backup-id", KILLED));
		args.addAll(restoreProperties());
		return args;
	}

	private static Manifest manifest(Path location, String id) {
		return new BackupStorage(location).backup(id).manifest();
	}

}
