package io.kafkadr.restore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.kafkadr.archive.ArchiveJson;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.SegmentAppender;
import io.kafkadr.archive.SegmentLines;
import io.kafkadr.kafka.PartitionOffsets;
import io.kafkadr.testing.BulkData;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.DirectoryCopy;
import io.kafkadr.testing.LocalFiles;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SourceRecords;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a restore refuses (and then writes nothing), and the ways to restore part of a backup:
 * a dry run, a topic selection, renames, a point in time, suspended retention.
 */
@Tag("integration")
class RestoreSafetyAndSelectionTest {

	private static final String EVENTS = "cdc.events";

	private static final String OLD = "audit.old";

	private static Sandboxes source;

	private static Sandboxes target;

	@TempDir
	static Path storage;

	private static Instant middle;

	@BeforeAll
	static void backUp() throws Exception {
		source = Sandboxes.start();
		target = Sandboxes.start();
		BulkData.avro(source.bootstrapServers(), source.registryClient(), EVENTS, 2, 200);
		List<ConsumerRecord<byte[], byte[]>> events = SourceRecords.read(source.bootstrapServers(),
				new TopicPartition(EVENTS, 0));
		middle = Instant.ofEpochMilli(events.get(99).timestamp());
		long twoHoursAgo = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", source.bootstrapServers()));
				KafkaProducer<byte[], byte[]> producer = producer(source)) {
			admin.createTopics(List.of(new NewTopic(OLD, 1, (short) 1).configs(Map.of("retention.ms", "3600000"))))
				.all()
				.get();
			for (int i = 0; i < 10; i++) {
				producer.send(new ProducerRecord<>(OLD, 0, twoHoursAgo + i, null, ("old " + i).getBytes())).get();
			}
			admin.alterConsumerGroupOffsets("reader", Map.of(new TopicPartition(EVENTS, 0), new OffsetAndMetadata(150)))
				.all()
				.get();
		}
		CommandRun backup = CommandRun.of(source.properties(storage, "--kafka-dr.topics.avro=cdc\\..*",
				"--kafka-dr.topics.raw=audit\\..*"), "backup", "--backup-id", "b");
		assertThat(backup.exitCode()).as(backup.toString()).isZero();
	}

	@AfterAll
	static void stop() {
		source.close();
		target.close();
	}

	private static CommandRun restore(String... options) {
		String[] command = Stream.concat(Stream.of("restore", "--backup-id", "b"), Stream.of(options))
			.toArray(String[]::new);
		return CommandRun.of(target.properties(storage), command);
	}

	@Test
	void aDryRunPrintsThePlanAndWritesNothing() throws Exception {
		Set<String> topicsBefore = targetTopics();
		List<String> subjectsBefore = target.registryClient().subjects(false);
		CommandRun run = CommandRun.of(target.properties(storage), "restore", "--backup-id", "latest", "--dry-run");
		assertThat(run.exitCode()).as(run.toString()).isZero();
		assertThat(run.out()).contains("Restore plan: backup b", EVENTS, "400", OLD, "Dry run: nothing was written.",
				"10 records of audit.old are older than its retention.ms=3600000");
		assertThat(targetTopics()).isEqualTo(topicsBefore).doesNotContain(EVENTS, OLD);
		assertThat(target.registryClient().subjects(false)).isEqualTo(subjectsBefore);
	}

	@Test
	void aDamagedBackupIsRefusedBeforeAnythingIsWritten() throws Exception {
		Path copy = storage.resolve("damaged");
		DirectoryCopy.copy(storage.resolve("b"), copy);
		try (Stream<Path> files = Files.walk(copy.resolve("topics"))) {
			Path segment = files.filter(Files::isRegularFile).findFirst().orElseThrow();
			byte[] bytes = Files.readAllBytes(segment);
			bytes[bytes.length / 2] ^= 0x5a;
			Files.write(segment, bytes);
		}
		CommandRun run = CommandRun.of(target.properties(storage), "restore", "--backup-id", "damaged", "--rename",
				EVENTS + "=damaged.events", "--rename", OLD + "=damaged.old");
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
		assertThat(run.err()).contains("failed verification, so nothing was restored", "SHA-256");
		assertThat(targetTopics()).doesNotContain("damaged.events", "damaged.old");
		// the copy completed when "b" did: it must not stand for `latest` in other tests
		deleteDirectory(copy);
	}

	/**
	 * Verification is a partitioned step of the restore job: a damaged segment fails only its own
	 * partition, and the refusal names its file. Once the segment is repaired (here: its bytes put
	 * back), the same command checks again only the partition that failed, and restores.
	 */
	@Test
	void aRefusedRestoreRunAgainChecksAgainOnlyThePartitionThatFailed() throws Exception {
		Path copy = storage.resolve("repaired");
		Path segment = copyWithADamagedSegmentOfEvents1(copy);
		// Flipping the same bits again gives back the segment's original bytes, written back below.
		byte[] original = Files.readAllBytes(segment);
		original[original.length / 2] ^= 0x5a;
		List<String> properties = target.properties(storage);
		String[] command = { "restore", "--backup-id", "repaired", "--rename", EVENTS + "=repaired.events", "--rename",
				OLD + "=repaired.old" };

		CommandRun refused = CommandRun.of(properties, command);
		assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
		assertThat(refused.err()).contains("failed verification, so nothing was restored",
				"topics/" + EVENTS + "/1/" + segment.getFileName(), "SHA-256");
		assertThat(targetTopics()).doesNotContain("repaired.events", "repaired.old");
		JsonNode first = step(RestoreAssertions.restoreExecutions(properties).getLast(), "verification");
		assertThat(first.path("status").asString()).isEqualTo("FAILED");
		assertThat(first.path("partitions").asInt()).isEqualTo(3);
		assertThat(first.path("partitionsFailed").values()).extracting(JsonNode::asString).containsExactly(EVENTS + "-1");

		Files.write(segment, original);
		CommandRun restored = CommandRun.of(properties, command);
		assertThat(restored.exitCode()).as(restored.toString()).isZero();
		assertThat(restored.out()).contains("Validation PASSED");
		JsonNode resumed = RestoreAssertions.restoreExecutions(properties).getLast();
		assertThat(step(resumed, "verification").path("partitions").asInt()).as("partitions checked again").isEqualTo(1);
		assertThat(step(resumed, "readBack").path("partitionsCompleted").asInt()).isEqualTo(3);
		deleteDirectory(copy);
	}

	/**
	 * With {@code --skip-damaged}, the same damage leaves out only its own partition: every intact
	 * partition is restored exactly, the damaged one stays empty, and the report names its file.
	 */
	@Test
	void skipDamagedRestoresEveryIntactPartitionAndListsTheDamagedOne() throws Exception {
		Path copy = storage.resolve("partly");
		Path segment = copyWithADamagedSegmentOfEvents1(copy);
		List<String> properties = target.properties(storage);

		// audit.old is left out: the broker may delete its records, older than its retention, once restored.
		CommandRun preview = CommandRun.of(properties, "restore", "--backup-id", "partly", "--dry-run", "--skip-damaged",
				"--topics", EVENTS, "--rename", EVENTS + "=partly.events");
		assertThat(preview.exitCode()).as(preview.toString()).isZero();
		assertThat(preview.out()).contains("damaged, so its partition is left out", "topics/" + EVENTS + "/1/");

		CommandRun run = CommandRun.of(properties, "restore", "--backup-id", "partly", "--skip-damaged", "--topics",
				EVENTS, "--rename", EVENTS + "=partly.events");
		assertThat(run.exitCode()).as(run.toString()).isZero();
		assertThat(run.out()).contains("Validation PASSED", "partitions: 1/1 match the backup",
				"1 damaged partitions were left out (--skip-damaged)",
				EVENTS + "-1 (topics/" + EVENTS + "/1/" + segment.getFileName());
		Manifest manifest = new BackupStorage(storage).backup("partly").manifest();
		Manifest.Topic events = manifest.topics().stream().filter(t -> t.name().equals(EVENTS)).findFirst().orElseThrow();
		assertThat(events.partitions()).hasSize(2);
		for (Manifest.Partition partition : events.partitions()) {
			List<ConsumerRecord<byte[], byte[]>> restored = SourceRecords.read(target.bootstrapServers(),
					new TopicPartition("partly.events", partition.partition()));
			assertThat(restored).as(EVENTS + "-" + partition.partition())
				.hasSize((partition.partition() == 1) ? 0 : (int) partition.records());
		}
		deleteDirectory(copy);
	}

	/** Copies backup "b" to {@code copy} and flips a byte in the middle of the first segment of its partition EVENTS-1. */
	private static Path copyWithADamagedSegmentOfEvents1(Path copy) throws IOException {
		DirectoryCopy.copy(storage.resolve("b"), copy);
		Path segment;
		try (Stream<Path> files = Files.walk(copy.resolve("topics").resolve(EVENTS).resolve("1"))) {
			segment = files.filter(Files::isRegularFile).findFirst().orElseThrow();
		}
		byte[] bytes = Files.readAllBytes(segment);
		bytes[bytes.length / 2] ^= 0x5a;
		Files.write(segment, bytes);
		return segment;
	}

	private static JsonNode step(JsonNode execution, String name) {
		return execution.path("steps")
			.values()
			.stream()
			.filter(step -> step.path("name").asString().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no step " + name + " in " + execution));
	}

	/**
	 * A line whose SHA-256 matches the manifest (so the pre-check passes) but whose datum names a
	 * schema the backup does not hold: the restore decodes records as it produces them, stops at
	 * that line before its chunk is written, and names the file and line.
	 */
	@Test
	void aLineThatCannotBeDecodedStopsTheRestoreBeforeItsChunkIsWritten() throws Exception {
		Path copy = storage.resolve("undecodable");
		DirectoryCopy.copy(storage.resolve("b"), copy);
		BackupDirectory backup = new BackupStorage(storage).backup("undecodable");
		Manifest.Segment segment = backup.manifest()
			.topics()
			.stream()
			.filter(topic -> topic.name().equals(EVENTS))
			.flatMap(topic -> topic.partitions().stream())
			.filter(partition -> partition.partition() == 0)
			.findFirst()
			.orElseThrow()
			.segments()
			.get(0);
		List<String> lines = new ArrayList<>();
		try (SegmentLines segmentLines = backup.segmentLines(segment.file())) {
			for (String line = segmentLines.next(); line != null; line = segmentLines.next()) {
				lines.add(line);
			}
		}
		int bad = 41;
		JsonNode original = ArchiveJson.MAPPER.readTree(lines.get(bad - 1));
		lines.set(bad - 1, original.toString().replace(original.path("value").path("schema").asString(), "0".repeat(32)));
		Path file = LocalFiles.of(backup, segment.file());
		Files.delete(file);
		long bytes;
		try (SegmentAppender appender = LocalFiles.appender(file)) {
			bytes = appender.append((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8)).bytes();
		}
		ObjectNode manifest = (ObjectNode) ArchiveJson.MAPPER.readTree(LocalFiles.of(backup, BackupDirectory.MANIFEST).toFile());
		for (JsonNode topic : manifest.path("topics")) {
			for (JsonNode partition : topic.path("partitions")) {
				for (JsonNode entry : partition.path("segments")) {
					if (entry.path("file").asString().equals(segment.file())) {
						((ObjectNode) entry).put("bytes", bytes).put("sha256", LocalFiles.sha256(file));
					}
				}
			}
		}
		ArchiveJson.MAPPER.writeValue(LocalFiles.of(backup, BackupDirectory.MANIFEST).toFile(), manifest);

		CommandRun run = CommandRun.of(target.properties(storage, "--kafka-dr.restore.chunk-size=10"), "restore",
				"--backup-id", "undecodable", "--topics", EVENTS, "--rename", EVENTS + "=undecodable.events");
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
		assertThat(run.out() + run.err()).contains("Line " + bad + " of " + segment.file() + " cannot be restored",
				"Its chunk was not written");
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", target.bootstrapServers()))) {
			// Chunks of 10: lines 1 to 40 were written, the chunk of lines 41 to 50 was not.
			assertThat(new PartitionOffsets(admin).end(new TopicPartition("undecodable.events", 0))).isEqualTo(bad - 1);
		}
		deleteDirectory(copy);
	}

	@Test
	void aTargetTopicThatHoldsRecordsIsRefusedUnlessAskedFor() throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", target.bootstrapServers()));
				KafkaProducer<byte[], byte[]> producer = producer(target)) {
			admin.createTopics(List.of(new NewTopic("busy.old", 1, (short) 1))).all().get();
			producer.send(new ProducerRecord<>("busy.old", 0, null, "already here".getBytes())).get();
		}
		CommandRun refused = restore("--topics", "audit\\..*", "--rename", OLD + "=busy.old");
		assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
		assertThat(refused.err()).contains("[busy.old] already hold records", "--into-existing-topics");
		assertThat(SourceRecords.read(target.bootstrapServers(), new TopicPartition("busy.old", 0))).hasSize(1);

		CommandRun appended = restore("--topics", "audit\\..*", "--rename", OLD + "=busy.old", "--into-existing-topics");
		assertThat(appended.exitCode()).as(appended.toString()).isZero();
		assertThat(appended.out()).contains("Validation PASSED");
		List<ConsumerRecord<byte[], byte[]>> records = SourceRecords.read(target.bootstrapServers(),
				new TopicPartition("busy.old", 0));
		assertThat(records).hasSize(11);
		assertThat(new String(records.get(0).value())).isEqualTo("already here");
		assertThat(new String(records.get(1).value())).isEqualTo("old 0");
	}

	@Test
	void aTargetTopicWithFewerPartitionsIsRefused() throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", target.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic("narrow.events", 1, (short) 1))).all().get();
		}
		CommandRun run = restore("--topics", "cdc\\..*", "--rename", EVENTS + "=narrow.events");
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
		assertThat(run.err()).contains("narrow.events has 1 partitions", "--rename");
	}

	@Test
	void aSelectedTopicIsRestoredUnderANewNameWithItsGroupOffsets() throws Exception {
		CommandRun run = restore("--topics", "cdc\\..*", "--rename", EVENTS + "=drill.events");
		assertThat(run.exitCode()).as(run.toString()).isZero();
		assertThat(run.out()).contains("Validation PASSED", "drill.events");
		assertThat(targetTopics()).contains("drill.events").doesNotContain(EVENTS, OLD);
		for (int partition = 0; partition < 2; partition++) {
			assertThat(SourceRecords.read(target.bootstrapServers(), new TopicPartition("drill.events", partition)))
				.hasSize(200);
		}
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", target.bootstrapServers()))) {
			Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("reader")
				.partitionsToOffsetAndMetadata()
				.get();
			assertThat(committed.get(new TopicPartition("drill.events", 0)).offset()).isEqualTo(150);
		}
	}

	@Test
	void aPointInTimeRestoreKeepsOnlyRecordsUntilThen() {
		CommandRun run = restore("--topics", "cdc\\..*", "--rename", EVENTS + "=until.events", "--until",
				middle.toString());
		assertThat(run.exitCode()).as(run.toString()).isZero();
		assertThat(run.out()).contains("Validation PASSED");
		List<ConsumerRecord<byte[], byte[]>> restored = SourceRecords.read(target.bootstrapServers(),
				new TopicPartition("until.events", 0));
		assertThat(restored).hasSize(100);
		assertThat(restored).allSatisfy(r -> assertThat(r.timestamp()).isLessThanOrEqualTo(middle.toEpochMilli()));
	}

	@Test
	void suspendedRetentionKeepsOldRecordsUntilTheRestoreIsValidated() throws Exception {
		CommandRun run = restore("--topics", "audit\\..*", "--rename", OLD + "=kept.old", "--retention", "suspend");
		assertThat(run.exitCode()).as(run.toString()).isZero();
		assertThat(run.out()).contains("Validation PASSED", "retention is suspended during the restore");
		assertThat(SourceRecords.read(target.bootstrapServers(), new TopicPartition("kept.old", 0))).hasSize(10);
		assertThat(topicConfig("kept.old", "retention.ms")).isEqualTo("3600000");
	}

	private static Set<String> targetTopics() throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", target.bootstrapServers()))) {
			return admin.listTopics().names().get();
		}
	}

	private static String topicConfig(String topic, String name) throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", target.bootstrapServers()))) {
			ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
			ConfigEntry entry = admin.describeConfigs(List.of(resource)).all().get().get(resource).get(name);
			return entry.value();
		}
	}

	private static KafkaProducer<byte[], byte[]> producer(Sandboxes sandboxes) {
		Map<String, Object> config = new HashMap<>();
		config.put("bootstrap.servers", sandboxes.bootstrapServers());
		config.put("key.serializer", ByteArraySerializer.class);
		config.put("value.serializer", ByteArraySerializer.class);
		return new KafkaProducer<>(config);
	}

	private static void deleteDirectory(Path directory) throws IOException {
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
		}
	}

}
