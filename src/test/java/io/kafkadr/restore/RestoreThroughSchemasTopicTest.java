package io.kafkadr.restore;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.RegistryContents;
import io.kafkadr.archive.SchemaStore;
import io.kafkadr.archive.StoredSchema;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.testing.BulkData;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SourceRecords;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --registry-mode=topic}: the schemas step writes the backed-up {@code _schemas} topic byte
 * for byte, records keep their original schema ids, and {@code waitForRegistry} waits until the
 * registry serves every id with the backed-up schema.
 *
 * <p>A Confluent Schema Registry, which rebuilds itself from {@code _schemas}, cannot be run here
 * (it is not on Maven Central). Apicurio does not read that topic, so the test plays the part of the
 * registry catching up: after a first run times out in {@code waitForRegistry} (the real failure a
 * registry that has not read the topic yet causes), it registers the backed-up schemas in their
 * original order, which gives them their original ids in a fresh Apicurio; the re-run then
 * continues at {@code waitForRegistry} and completes.
 */
@Tag("integration")
class RestoreThroughSchemasTopicTest {

	private static Sandboxes source;

	private static Sandboxes target;

	@TempDir
	static Path storage;

	@BeforeAll
	static void backUp() throws Exception {
		source = Sandboxes.start();
		target = Sandboxes.start();
		BulkData.avro(source.bootstrapServers(), source.registryClient(), "cdc.accounts", 2, 100);
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", source.bootstrapServers()));
				KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
						source.bootstrapServers(), "key.serializer", ByteArraySerializer.class, "value.serializer",
						ByteArraySerializer.class))) {
			admin.createTopics(List.of(new NewTopic("_schemas", 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
				.all()
				.get();
			producer.send(new ProducerRecord<>("_schemas", "{\"keytype\":\"NOOP\",\"magic\":0}".getBytes(), null)).get();
			producer.send(new ProducerRecord<>("_schemas",
					"{\"keytype\":\"SCHEMA\",\"subject\":\"cdc.accounts-value\",\"version\":1,\"magic\":1}".getBytes(),
					"{\"subject\":\"cdc.accounts-value\",\"version\":1,\"id\":1,\"schema\":\"...\"}".getBytes()))
				.get();
		}
		CommandRun backup = CommandRun.of(source.properties(storage, "--kafka-dr.topics.avro=cdc\\..*",
				"--kafka-dr.topics.raw=_schemas"), "backup", "--backup-id", "s");
		assertThat(backup.exitCode()).as(backup.toString()).isZero();
	}

	@AfterAll
	static void stop() {
		source.close();
		target.close();
	}

	@Test
	void writesTheSchemasTopicAndKeepsTheOriginalIds() throws Exception {
		String[] restore = { "restore", "--backup-id", "s", "--registry-mode", "topic" };
		CommandRun waiting = CommandRun.of(target.properties(storage, "--kafka-dr.restore.registry-timeout=2s"), restore);
		assertThat(waiting.exitCode()).as(waiting.toString()).isEqualTo(1);
		assertThat(waiting.out()).contains("waitForRegistry  FAILED", "still do not resolve in the registry");
		assertThat(values(target, "_schemas")).isEqualTo(values(source, "_schemas"));
		assertThat(target.registryClient().subjects(false)).isEmpty();

		registerAsTheSourceDid(target.registryClient());
		CommandRun resumed = CommandRun.of(target.properties(storage), restore);
		assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
		assertThat(resumed.out()).contains("Validation PASSED").doesNotContain("  schemas          COMPLETED");
		for (int partition = 0; partition < 2; partition++) {
			TopicPartition tp = new TopicPartition("cdc.accounts", partition);
			assertThat(values(target, tp)).as("records with their original ids, byte for byte")
				.isEqualTo(values(source, tp));
		}
	}

	/** What a Confluent registry would hold after reading _schemas: every version under its original id. */
	private static void registerAsTheSourceDid(RegistryClient registry) {
		var backup = new BackupStorage(storage).backup("s");
		SchemaStore schemas = new SchemaStore(backup);
		RegistryContents contents = backup.read("registry.json", RegistryContents.class);
		Map<Integer, RegistryContents.Version> byId = new java.util.TreeMap<>();
		Map<Integer, String> subjectOfId = new HashMap<>();
		contents.subjects().forEach(subject -> subject.versions().forEach(version -> {
			byId.put(version.id(), version);
			subjectOfId.put(version.id(), subject.name());
		}));
		byId.forEach((id, version) -> {
			StoredSchema schema = schemas.get(version.fingerprint());
			int assigned = registry.register(subjectOfId.get(id), schema.schemaType(), schema.schema(), List.of(), null, null);
			assertThat(assigned).as("a fresh Apicurio hands out ids in registration order").isEqualTo(id);
		});
	}

	private static List<String> values(Sandboxes sandboxes, String topic) {
		return values(sandboxes, new TopicPartition(topic, 0));
	}

	private static List<String> values(Sandboxes sandboxes, TopicPartition partition) {
		return SourceRecords.read(sandboxes.bootstrapServers(), partition)
			.stream()
			.map((ConsumerRecord<byte[], byte[]> r) -> java.util.Arrays.toString(r.key()) + "="
					+ java.util.Arrays.toString(r.value()) + "@" + r.timestamp())
			.toList();
	}

}
