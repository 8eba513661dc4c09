package io.kafkadr.restore;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.ConnectSandbox;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SourceRecords;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Kafka Connect worker's internal topics, backed up and restored, bring its connector back:
 * the restore's validation waits until the target's Connect worker (started after the topics are
 * back, as in a real recovery) runs every connector and task. A Connect that never answers fails
 * the validation, and re-running the restore continues at the validation step.
 */
@Tag("integration")
class RestoreValidatesKafkaConnectTest {

	private static Sandboxes source;

	private static Sandboxes target;

	@TempDir
	static Path storage;

	@TempDir
	static Path files;

	@BeforeAll
	static void backUpAConnectPipeline() throws Exception {
		source = Sandboxes.start();
		target = Sandboxes.start();
		Path input = Files.writeString(files.resolve("input.txt"), "one\ntwo\nthree\n");
		try (ConnectSandbox connect = ConnectSandbox.start(source.bootstrapServers())) {
			connect.createConnector("lines", Map.of("connector.class",
					"org.apache.kafka.connect.file.FileStreamSourceConnector", "tasks.max", "1", "file", input.toString(),
					"topic", "file.lines", "topic.creation.default.replication.factor", "1",
					"topic.creation.default.partitions", "1"));
			await("the source connector copied the file").atMost(Duration.ofSeconds(60))
				.until(() -> topicExists(source, "file.lines")
						&& SourceRecords.read(source.bootstrapServers(), new TopicPartition("file.lines", 0)).size() == 3);
		}
		CommandRun backup = CommandRun.of(source.properties(storage, "--kafka-dr.topics.raw=connect-.*,file\\.lines"),
				"backup", "--backup-id", "connect");
		assertThat(backup.exitCode()).as(backup.toString()).isZero();
	}

	@AfterAll
	static void stop() {
		source.close();
		target.close();
	}

	@Test
	void validationWaitsForTheRestoredConnectorsToRun() throws Exception {
		int port = freePort();
		CompletableFuture<CommandRun> restore = CompletableFuture.supplyAsync(() -> CommandRun.of(
				target.properties(storage, "--kafka-dr.connect.url=http://127.0.0.1:" + port,
						"--kafka-dr.connect.timeout=90s"),
				"restore", "--backup-id", "connect", "--rename", "file.lines=file.lines"));
		await("the restore wrote Connect's topics").atMost(Duration.ofSeconds(90))
			.until(() -> restore.isDone() || endOffset(target, "connect-configs") > 0 && endOffset(target, "file.lines") == 3);
		assertThat(restore.isDone()).as("the restore ended before Connect started: " + restore.getNow(null)).isFalse();
		try (ConnectSandbox connect = ConnectSandbox.start(target.bootstrapServers(), port)) {
			CommandRun run = restore.get();
			assertThat(run.exitCode()).as(run.toString()).isZero();
			assertThat(run.out()).contains("Validation PASSED", "kafka connect: every connector and task RUNNING");
			assertThat(connect.connectors()).containsExactly("lines");
		}
	}

	@Test
	void aConnectThatNeverRunsFailsTheValidationAndTheRerunContinuesThere() throws Exception {
		List<String> renamed = List.of("--rename", "connect-configs=dr.configs", "--rename", "connect-offsets=dr.offsets",
				"--rename", "connect-status=dr.status", "--rename", "file.lines=dr.lines");
		String[] command = java.util.stream.Stream.concat(java.util.stream.Stream.of("restore", "--backup-id", "connect"),
				renamed.stream()).toArray(String[]::new);
		CommandRun failed = CommandRun.of(target.properties(storage,
				"--kafka-dr.connect.url=http://127.0.0.1:" + freePort(), "--kafka-dr.connect.timeout=2s"), command);
		assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
		assertThat(failed.out()).contains("Validation FAILED", "validation       FAILED", "did not answer");

		CommandRun rerun = CommandRun.of(target.properties(storage), command);
		assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
		assertThat(rerun.out()).contains("Validation PASSED").doesNotContain("cdcTopics");
		CommandRun history = CommandRun.of(target.properties(storage), "history");
		assertThat(history.out()).contains("restore of backup connect");
	}

	private static boolean topicExists(Sandboxes sandboxes, String topic) throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", sandboxes.bootstrapServers()))) {
			return admin.listTopics().names().get().contains(topic);
		}
	}

	private static long endOffset(Sandboxes sandboxes, String topic) throws Exception {
		if (!topicExists(sandboxes, topic)) {
			return 0;
		}
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", sandboxes.bootstrapServers()))) {
			TopicPartition partition = new TopicPartition(topic, 0);
			return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).all().get().get(partition).offset();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
