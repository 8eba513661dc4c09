package io.kafkadr.restore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kafkadr.testing.ChildProcess;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.DirectoryCopy;
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
 * A restore asked to end with SIGTERM (a real child process) while it writes topic partitions, or
 * while it validates them: it stops at a chunk boundary, records the execution STOPPED and exits 1;
 * the same command then continues it, and every target partition holds exactly the source's
 * records.
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

	@TempDir
	static Path validationStorage;

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

	/**
	 * Validation reads each restored partition back as a partition of its own, saving its position,
	 * count and digest with every block: stopped part-way, each partition continues where it was,
	 * reading no record twice, and the digest it ends with still matches the backup's.
	 */
	@Test
	void aStopDuringValidationContinuesEachPartitionWhereItWas() throws Exception {
		DirectoryCopy.copy(storage.resolve(BACKUP), validationStorage.resolve(BACKUP));
		// Blocks of 20: each partition is a hundred saves, many more than the stop takes to arrive.
		List<String> properties = target.properties(validationStorage, "--kafka-dr.restore.chunk-size=20");
		List<String> args = new ArrayList<>(List.of("restore", "--backup-id", BACKUP, "--topics", "cdc\\.events",
				"--rename", "cdc.events=validated.events"));
		args.addAll(properties);
		ChildProcess child = ChildProcess.start(args);
		await("validation reading records back").atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> !child.isAlive() || recordsReadBack() > 0);
		assertThat(child.isAlive()).as("the restore ended before SIGTERM\n" + child.output()).isTrue();
		child.terminate();
		assertThat(child.waitFor(Duration.ofSeconds(30))).as(child.output()).isEqualTo(1);

		JsonNode stopped = RestoreAssertions.restoreExecutions(properties).getLast();
		assertThat(stopped.path("status").asString()).isEqualTo("STOPPED");
		assertThat(RestoreAssertions.stepStatus(stopped, "readBack")).isEqualTo("STOPPED");
		Map<String, Long> readBefore = validationReads(properties, stopped);
		assertThat(readBefore.values().stream().mapToLong(Long::longValue).sum()).isPositive();

		ChildProcess resumed = ChildProcess.start(args);
		assertThat(resumed.waitFor(Duration.ofMinutes(3))).as(resumed.output()).isZero();
		assertThat(resumed.output()).contains("Validation PASSED");
		Map<String, Long> readAfter = validationReads(properties, RestoreAssertions.restoreExecutions(properties).getLast());
		for (String partition : List.of("cdc.events-0", "cdc.events-1")) {
			assertThat(readBefore.getOrDefault(partition, 0L) + readAfter.getOrDefault(partition, 0L))
				.as("records of %s read back in both runs", partition)
				.isEqualTo(PER_PARTITION);
		}
	}

	/** The records validation has read back so far, from the running child's job repository (H2 serves it to others). */
	private static long recordsReadBack() {
		Path file = validationStorage.resolve(".kafka-dr").resolve("job-repository");
		if (!Files.exists(validationStorage.resolve(".kafka-dr").resolve("job-repository.mv.db"))) {
			return 0;
		}
		try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE;IFEXISTS=TRUE",
				"sa", ""); ResultSet rows = connection.createStatement()
					.executeQuery("SELECT COALESCE(SUM(READ_COUNT), 0) FROM BATCH_STEP_EXECUTION"
							+ " WHERE STEP_NAME LIKE 'readBackPartition:%'")) {
			return rows.next() ? rows.getLong(1) : 0;
		}
		catch (SQLException ex) {
			// the tables are only being created
			return 0;
		}
	}

	/** Records read back per partition of the readBack step in one execution, as {@code history show} shows them. */
	private static Map<String, Long> validationReads(List<String> properties, JsonNode execution) {
		CommandRun show = CommandRun.of(properties, "history", "show", execution.path("executionId").asString(), "--json");
		assertThat(show.exitCode()).as(show.toString()).isZero();
		Map<String, Long> reads = new HashMap<>();
		for (JsonNode partition : JsonMapper.builder().build().readTree(show.out()).path("partitions").values()) {
			if (partition.path("step").asString().equals("readBack")) {
				reads.put(partition.path("name").asString(), partition.path("readCount").asLong());
			}
		}
		return reads;
	}

}
