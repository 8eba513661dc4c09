package io.kafkadr.backup;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.avro.ConfluentWireFormat;
import io.kafkadr.testing.BulkData;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.Sandboxes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets one clear paragraph naming the problem and the fix, and damages nothing. */
@Tag("integration")
class BackupRefusalTest {

	private static Sandboxes sandboxes;

	@TempDir
	Path storage;

	@BeforeAll
	static void seed() throws Exception {
		sandboxes = Sandboxes.start();
		BulkData.avro(sandboxes.bootstrapServers(), sandboxes.registryClient(), "cdc.orders", 1, 10);
		BulkData.raw(sandboxes.bootstrapServers(), "connect-configs", 1, 10);
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", sandboxes.bootstrapServers()));
				KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
						sandboxes.bootstrapServers(), "key.serializer", ByteArraySerializer.class, "value.serializer",
						ByteArraySerializer.class))) {
			admin.createTopics(List.of(new NewTopic("unknown.schema", 1, (short) 1))).all().get();
			producer.send(new ProducerRecord<>("unknown.schema", ConfluentWireFormat.encode(9999, new byte[] { 2, 'x' })))
				.get();
		}
	}

	@AfterAll
	static void stop() {
		sandboxes.close();
	}

	private CommandRun backup(String... properties) {
		return CommandRun.of(sandboxes.properties(this.storage, properties), "backup", "--backup-id", "b1");
	}

	@Test
	void aTopicMatchedByBothPatternsIsRefused() {
		CommandRun run = backup("--kafka-dr.topics.avro=cdc\\..*", "--kafka-dr.topics.raw=cdc\\.orders");
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
		assertThat(run.err()).contains("[cdc.orders]", "kafka-dr.topics.avro", "kafka-dr.topics.raw", "narrow one");
		assertThat(this.storage.resolve("b1")).doesNotExist();
	}

	@Test
	void anUnreachableBrokerIsNamed() throws IOException {
		int closedPort = closedPort();
		CommandRun run = backup("--kafka-dr.topics.raw=connect-configs",
				"--spring.kafka.bootstrap-servers=localhost:" + closedPort, "--kafka-dr.backup.kafka-timeout=3s");
		// an outage, not a mistake: a script can tell the two apart and retry this one later
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
		assertThat(run.err()).contains("Cannot reach the Kafka cluster at localhost:" + closedPort,
				"spring.kafka.bootstrap-servers");
		assertThat(this.storage.resolve("b1")).doesNotExist();
	}

	@Test
	void anUnreachableJobRepositoryIsAnOutageToo() throws IOException {
		int closedPort = closedPort();
		CommandRun run = backup("--kafka-dr.topics.raw=connect-configs",
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + closedPort + "/kafka_dr");
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
		assertThat(run.err()).contains("Cannot open the job repository's database", "127.0.0.1:" + closedPort,
				"spring.datasource.url");
		assertThat(this.storage.resolve("b1")).doesNotExist();
	}

	@Test
	void aJobRepositoryDatabaseThatDoesNotExistIsAMistake() {
		CommandRun run = backup("--kafka-dr.topics.raw=connect-configs",
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/no_such_database",
				"--spring.datasource.username=postgres");
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
		assertThat(run.err()).contains("Cannot open the job repository's database", "no_such_database",
				"spring.datasource.url");
		assertThat(this.storage.resolve("b1")).doesNotExist();
	}

	@Test
	void anUnreachableRegistryIsNamed() throws IOException {
		int closedPort = closedPort();
		CommandRun run = backup("--kafka-dr.topics.avro=cdc\\..*",
				"--kafka-dr.registry.url=http://localhost:" + closedPort, "--kafka-dr.registry.max-attempts=2",
				"--kafka-dr.registry.initial-backoff=10ms");
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(3);
		assertThat(run.err()).contains("http://localhost:" + closedPort, "kafka-dr.registry.url");
		assertThat(this.storage.resolve("b1")).doesNotExist();
	}

	@Test
	void anApicurioUrlWithoutItsApiPathIsRefusedNamingTheOneToUse() {
		String root = sandboxes.registry().url().replace("/apis/ccompat/v7", "");
		CommandRun run = backup("--kafka-dr.topics.avro=cdc\\..*", "--kafka-dr.registry.url=" + root);
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
		assertThat(run.err()).contains("has no /subjects", "set kafka-dr.registry.url=" + root + "/apis/ccompat/v7");
		assertThat(this.storage.resolve("b1")).doesNotExist();
	}

	@Test
	void aSchemaIdTheRegistryDoesNotKnowFailsAStrictBackupNamingIt() {
		CommandRun run = backup("--kafka-dr.topics.avro=unknown\\.schema", "--strict");
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
		assertThat(run.out()).contains("FAILED", "schema id 9999", sandboxes.registry().url(),
				"kafka-dr.topics.raw");
		assertThat(this.storage.resolve("b1").resolve("manifest.json")).doesNotExist();
	}

	@Test
	void aSchemaIdTheRegistryDoesNotKnowIsKeptAndCountedByDefault() {
		CommandRun run = backup("--kafka-dr.topics.avro=unknown\\.schema");
		assertThat(run.exitCode()).as(run.toString()).isZero();
		assertThat(run.out()).contains("COMPLETED", "warning: 1 records have a key or value that could not be decoded",
				"unknown.schema-0 (1)");
		Manifest manifest = new BackupStorage(this.storage).backup("b1").manifest();
		assertThat(manifest.topics().get(0).partitions().get(0).undecodedRecords()).isEqualTo(1L);
		JsonNode executions = JsonMapper.builder().build()
			.readTree(CommandRun.of(sandboxes.properties(this.storage), "history", "--json").out());
		String executionId = executions.get(0).path("executionId").asString();
		CommandRun show = CommandRun.of(sandboxes.properties(this.storage), "history", "show", executionId, "--json");
		JsonNode partition = JsonMapper.builder().build().readTree(show.out()).path("partitions").get(0);
		assertThat(partition.path("backup").path("undecodedRecords").asLong()).as(show.out()).isEqualTo(1);
		assertThat(CommandRun.of(sandboxes.properties(this.storage), "history", "show", executionId).out())
			.contains("1 records kept undecoded");
		CommandRun verify = CommandRun.of(sandboxes.properties(this.storage), "verify", "--backup-id", "b1");
		assertThat(verify.exitCode()).as(verify.toString()).isZero();
	}

	@Test
	void aStorageLocationThatCannotBeWrittenIsRefused() throws IOException {
		Path file = Files.writeString(this.storage.resolve("not-a-directory"), "x");
		CommandRun run = CommandRun.of(sandboxes.properties(file.resolve("backups"), "--kafka-dr.topics.raw=connect-.*"),
				"backup");
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
		assertThat(run.err()).contains("is not writable", "kafka-dr.storage.location");
	}

	@Test
	void aCompleteBackupIsNeverOverwritten() {
		assertThat(backup("--kafka-dr.topics.raw=connect-configs").exitCode()).isZero();
		long modified = this.storage.resolve("b1/manifest.json").toFile().lastModified();
		CommandRun again = backup("--kafka-dr.topics.raw=connect-configs");
		assertThat(again.exitCode()).as(again.toString()).isEqualTo(2);
		assertThat(again.err()).contains("already exists and is complete", "--backup-id");
		assertThat(this.storage.resolve("b1/manifest.json").toFile().lastModified()).isEqualTo(modified);
	}

	@Test
	void nothingSelectedIsAConfigurationError() {
		CommandRun run = backup();
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
		assertThat(run.err()).contains("No topics are selected", "kafka-dr.topics.avro");
	}

	@Test
	void patternsMatchingNoTopicAreAConfigurationError() {
		CommandRun run = backup("--kafka-dr.topics.raw=no\\.such\\..*");
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
		assertThat(run.err()).contains("No topic on " + sandboxes.bootstrapServers() + " matches");
	}

	@Test
	void anInvalidPatternIsNamed() {
		CommandRun run = backup("--kafka-dr.topics.raw=connect-(");
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
		assertThat(run.err()).contains("kafka-dr.topics.raw holds 'connect-('", "not a regular expression");
	}

	@Test
	void avroTopicsNeedARegistry() {
		CommandRun run = CommandRun.of(List.of("--spring.kafka.bootstrap-servers=" + sandboxes.bootstrapServers(),
				"--kafka-dr.storage.location=" + this.storage, "--kafka-dr.topics.avro=cdc\\..*"), "backup");
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
		assertThat(run.err()).contains("kafka-dr.registry.url is not set");
	}

	@Test
	void anInvalidBackupIdIsAUsageError() {
		CommandRun run = CommandRun.of(sandboxes.properties(this.storage, "--kafka-dr.topics.raw=connect-.*"), "backup",
				"--backup-id", "../escape");
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
		assertThat(run.err()).contains("not a valid backup id");
	}

	@Test
	void anUnknownOptionIsAUsageError() {
		CommandRun run = CommandRun.of(List.of(), "backup", "--no-such-option");
		assertThat(run.exitCode()).isEqualTo(2);
		assertThat(run.err()).contains("Unknown option: '--no-such-option'", "Usage: kafka-dr backup");
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
