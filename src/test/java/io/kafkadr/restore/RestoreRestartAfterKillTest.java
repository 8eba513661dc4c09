package io.kafkadr.restore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.kafkadr.registry.RegistryClient;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A restore killed with SIGKILL (a real child process) at several points, early in the job and
 * while topic partitions are being written, each time started again with the same command, ends
 * with every target partition holding exactly the source's records: none lost, none duplicated.
 */
@Tag("integration")
class RestoreRestartAfterKillTest {

	private static final int PER_PARTITION = 10_000;

	private static final String BACKUP = "nightly";

	private static final List<String> TOPICS = List.of("cdc.events", "connect-offsets");

	private static final long RECORDS = 6L * PER_PARTITION;

	private static Sandboxes source;

	private static Sandboxes target;

	@TempDir
	static Path storage;

	@BeforeAll
	static void backUp() {
		SourceAndTarget clusters = SourceAndTarget.start();
		source = clusters.source();
		target = clusters.target();
		clusters.backUp(storage, BACKUP, "cdc.events", 4, PER_PARTITION, "connect-offsets", 2, PER_PARTITION);
	}

	@AfterAll
	static void stop() {
		source.close();
		target.close();
	}

	private static List<String> properties() {
		return target.properties(storage, "--kafka-dr.restore.chunk-size=200", "--kafka-dr.backup.kafka-timeout=10s",
				"--kafka-dr.restore.registry-timeout=30s");
	}

	private static List<String> restore() {
		List<String> args = new ArrayList<>(List.of("restore", "--backup-id", BACKUP));
		args.addAll(properties());
		return args;
	}

	@Test
	void continuesAfterEveryKillAndRestoresEveryRecordExactlyOnce() {
		try (Admin admin = RestoreAssertions.admin(target)) {
			killThreeTimes(admin);
		}
		ChildProcess last = ChildProcess.start(restore());
		assertThat(last.waitFor(Duration.ofMinutes(3))).as(last.output()).isZero();
		assertThat(last.output()).contains("Validation PASSED");

		RestoreAssertions.assertTargetEqualsSource(source, target, storage, BACKUP);
		List<JsonNode> executions = RestoreAssertions.restoreExecutions(properties());
		assertThat(executions).extracting(e -> e.path("status").asString())
			.as("one execution per run: the killed ones recovered as FAILED, the last COMPLETED")
			.containsExactly("FAILED", "FAILED", "FAILED", "COMPLETED");
		assertThat(executions).extracting(e -> e.path("instanceId").asLong()).containsOnly(
				executions.get(0).path("instanceId").asLong());
		assertThat(RestoreAssertions.stepStatus(executions.getLast(), "waitForRegistry"))
			.as("waitForRegistry checks the registry again on every restart")
			.isEqualTo("COMPLETED");
	}

	private void killThreeTimes(Admin admin) {
		long seed = System.nanoTime();
		System.out.println("RestoreRestartAfterKillTest seed " + seed);
		Random random = new Random(seed);
		RegistryClient registry = target.registryClient();
		// the first kill comes as soon as the job registers schemas; the others while partitions are written
		double[] killPoints = { 0.0, 0.05 + random.nextDouble() * 0.35, 0.5 + random.nextDouble() * 0.4 };
		for (int kill = 0; kill < killPoints.length; kill++) {
			double killPoint = killPoints[kill];
			long records = (long) (RECORDS * killPoint);
			ChildProcess child = ChildProcess.start(restore());
			if (kill == 0) {
				await("the restore registering schemas (seed " + seed + ")").atMost(Duration.ofMinutes(2))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> !child.isAlive() || !registry.subjects(false).isEmpty());
			}
			else {
				if (kill == 1) {
					await("the restore writing records (seed " + seed + ")").atMost(Duration.ofMinutes(2))
						.pollInterval(Duration.ofMillis(50))
						.until(() -> !child.isAlive() || RestoreAssertions.recordsIn(admin, TOPICS) > 0);
					assertASecondRestoreIsRefused(child);
				}
				await("the restore past " + killPoint + " of the records (seed " + seed + ")")
					.atMost(Duration.ofMinutes(2))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> !child.isAlive() || RestoreAssertions.recordsIn(admin, TOPICS) >= records);
			}
			assertThat(child.isAlive()).as("the restore ended before the kill at " + killPoint + " (seed " + seed + ")\n"
					+ child.output()).isTrue();
			child.kill();
			System.out.println("killed the restore at " + RestoreAssertions.recordsIn(admin, TOPICS) + " of " + RECORDS
					+ " records");
		}
	}

	/**
	 * While the child runs, the same restore started again is refused before it touches the job
	 * (the history at the end holds no execution of its own).
	 */
	private void assertASecondRestoreIsRefused(ChildProcess child) {
		CommandRun second = CommandRun.of(properties(), "restore", "--backup-id", BACKUP);
		assertThat(child.isAlive()).as("the restore ended during the check\n" + child.output()).isTrue();
		assertThat(second.exitCode()).as(second.toString()).isEqualTo(2);
		assertThat(second.err()).contains("Another kafka-dr restore holds the storage location " + storage, "pid");
	}

}
