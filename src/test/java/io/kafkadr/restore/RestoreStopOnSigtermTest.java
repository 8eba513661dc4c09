package io.kafkadr.restore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.kafkadr.testing.ChildProcess;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SourceAndTarget;
import org.apache.kafka.clients.admin.Admin;
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
 * A restore asked to end with SIGTERM (a real child process) while it writes topic partitions:
 * it stops at a chunk boundary, records the execution STOPPED and exits 1; the same command then
 * continues it, and every target partition holds exactly the source's records.
 */
@Tag("integration")
class RestoreStopOnSigtermTest {

	private static final int PER_PARTITION = 2_000;

	private static final String BACKUP = "nightly";

	private static final List<String> TOPICS = List.of("cdc.events", "connect-offsets");

	private static Sandboxes source;

	private static Sandboxes target;

	@TempDir
	static Path storage;

	@BeforeAll
	static void backUp() {
		SourceAndTarget clusters = SourceAndTarget.start();
		source = clusters.source();
		target = clusters.target();
		clusters.backUp(storage, BACKUP, "cdc.events", 2, PER_PARTITION, "connect-offsets", 1, PER_PARTITION);
	}

	@AfterAll
	static void stop() {
		source.close();
		target.close();
	}

	private static List<String> properties() {
		return target.properties(storage, "--kafka-dr.restore.chunk-size=10");
	}

	private static List<String> restore() {
		List<String> args = new ArrayList<>(List.of("restore", "--backup-id", BACKUP));
		args.addAll(properties());
		return args;
	}

	@Test
	void stopsAtAChunkBoundaryAndTheSameCommandContinuesIt() {
		ChildProcess child = ChildProcess.start(restore());
		try (Admin admin = RestoreAssertions.admin(target)) {
			await("the restore writing records").atMost(Duration.ofMinutes(2))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> !child.isAlive() || RestoreAssertions.recordsIn(admin, TOPICS) > 0);
		}
		assertThat(child.isAlive()).as("the restore ended before SIGTERM\n" + child.output()).isTrue();
		child.terminate();
		assertThat(child.waitFor(Duration.ofSeconds(30))).as(child.output()).isEqualTo(1);
		assertThat(child.output()).contains("Asked to end (SIGTERM)",
				"The restore of nightly stopped at a chunk boundary because kafka-dr was asked to end");

		JsonNode stopped = RestoreAssertions.restoreExecutions(properties()).getLast();
		assertThat(stopped.path("status").asString()).isEqualTo("STOPPED");
		CommandRun show = CommandRun.of(properties(), "history", "show", stopped.path("executionId").asString(), "--json");
		List<JsonNode> partitions = JsonMapper.builder().build().readTree(show.out()).path("partitions").values()
			.stream()
			.toList();
		assertThat(partitions).isNotEmpty().allSatisfy(partition -> {
			assertThat(partition.path("restore").path("target").asString()).isIn(TOPICS);
			assertThat(partition.path("restore").path("targetStart").asLong()).isZero();
		});
		assertThat(partitions).extracting(p -> p.path("status").asString()).contains("STOPPED");

		ChildProcess resumed = ChildProcess.start(restore());
		assertThat(resumed.waitFor(Duration.ofMinutes(3))).as(resumed.output()).isZero();
		assertThat(resumed.output()).contains("Validation PASSED");
		RestoreAssertions.assertTargetEqualsSource(source, target, storage, BACKUP);
		assertThat(RestoreAssertions.restoreExecutions(properties())).extracting(e -> e.path("status").asString())
			.containsExactly("STOPPED", "COMPLETED");
	}

}
