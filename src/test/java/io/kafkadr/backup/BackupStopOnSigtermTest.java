package io.kafkadr.backup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.kafkadr.archive.BackupStorage;
import io.kafkadr.testing.BulkData;
import io.kafkadr.testing.ChildProcess;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.SameBackup;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SegmentBytes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backup asked to end with SIGTERM (a real child process, as Kubernetes evicts a pod) while its
 * partitioned {@code cdcTopics} step runs (beside {@code internalTopics}): it stops at a chunk boundary, records the execution and
 * every running partition STOPPED, says so and exits 1; the same command then resumes it and ends
 * with exactly the records of an uninterrupted backup.
 */
@Tag("integration")
class BackupStopOnSigtermTest {

	private static final int PER_PARTITION = 4_000;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static Sandboxes sandboxes;

	@TempDir
	Path reference;

	@TempDir
	Path stopped;

	@BeforeAll
	static void seed() {
		sandboxes = Sandboxes.start();
		BulkData.avro(sandboxes.bootstrapServers(), sandboxes.registryClient(), "cdc.events", 3, PER_PARTITION);
		BulkData.raw(sandboxes.bootstrapServers(), "connect-offsets", 1, PER_PARTITION);
	}

	@AfterAll
	static void stop() {
		sandboxes.close();
	}

	private List<String> properties(Path storage) {
		return sandboxes.properties(storage, "--kafka-dr.topics.avro=cdc\\..*", "--kafka-dr.topics.raw=connect-offsets",
				"--kafka-dr.backup.chunk-size=20");
	}

	private List<String> backup(Path storage) {
		List<String> args = new ArrayList<>(List.of("backup", "--backup-id", "nightly"));
		args.addAll(properties(storage));
		return args;
	}

	@Test
	void stopsAtAChunkBoundaryAndTheSameCommandResumesIt() {
		CommandRun uninterrupted = CommandRun.of(properties(this.reference), "backup", "--backup-id", "nightly");
		assertThat(uninterrupted.exitCode()).as(uninterrupted.toString()).isZero();

		ChildProcess child = ChildProcess.start(backup(this.stopped));
		await("the backup writing cdc.events").atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> !child.isAlive() || SegmentBytes.of(this.stopped, "nightly", "cdc.events") > 0);
		assertThat(child.isAlive()).as("the backup ended before SIGTERM\n" + child.output()).isTrue();
		child.terminate();
		assertThat(child.waitFor(Duration.ofSeconds(30))).as(child.output()).isEqualTo(1);
		assertThat(child.output()).contains("Asked to end (SIGTERM)", "STOPPED",
				"The backup nightly stopped at a chunk boundary because kafka-dr was asked to end. Run the same command");

		JsonNode execution = JSON.readTree(history(this.stopped, "history", "--json")).get(0);
		assertThat(execution.path("status").asString()).isEqualTo("STOPPED");
		// internalTopics runs side by side with cdcTopics: the stop finds it done or stops it too.
		assertThat(step(execution, "internalTopics").path("status").asString()).isIn("COMPLETED", "STOPPED");
		assertThat(step(execution, "cdcTopics").path("status").asString()).isEqualTo("STOPPED");
		JsonNode details = JSON.readTree(history(this.stopped, "history", "show",
				execution.path("executionId").asString(), "--json"));
		List<JsonNode> partitions = details.path("partitions")
			.values()
			.stream()
			.filter(p -> p.path("step").asString().equals("cdcTopics"))
			.toList();
		assertThat(partitions).hasSize(3).allSatisfy(partition -> {
			assertThat(partition.path("status").asString()).isIn("STOPPED", "COMPLETED");
			assertThat(partition.path("backup").path("end").asLong()).isEqualTo(PER_PARTITION);
		});
		assertThat(partitions).filteredOn(p -> p.path("status").asString().equals("STOPPED"))
			.isNotEmpty()
			.allSatisfy(partition -> assertThat(partition.path("backup").path("position").asLong(0))
				.isLessThan(PER_PARTITION));

		ChildProcess resumed = ChildProcess.start(backup(this.stopped));
		assertThat(resumed.waitFor(Duration.ofMinutes(3))).as(resumed.output()).isZero();
		SameBackup.assertSameRecords(new BackupStorage(this.reference).backup("nightly"),
				new BackupStorage(this.stopped).backup("nightly"), 4L * PER_PARTITION);
		List<String> statuses = JSON.readTree(history(this.stopped, "history", "--json"))
			.values()
			.stream()
			.map(e -> e.path("status").asString())
			.toList();
		assertThat(statuses).containsExactly("COMPLETED", "STOPPED");
	}

	private String history(Path storage, String... command) {
		CommandRun run = CommandRun.of(List.of("--kafka-dr.storage.location=" + storage), command);
		assertThat(run.exitCode()).as(run.toString()).isZero();
		return run.out();
	}

	private static JsonNode step(JsonNode execution, String name) {
		return execution.path("steps").values().stream().filter(s -> s.path("name").asString().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no step " + name + " in " + execution));
	}

}
