package io.kafkadr.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.kafkadr.archive.BackupDirectory;
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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A backup killed with SIGKILL (a real child process) at several points, each time started again
 * with the same command, ends with exactly the records of an uninterrupted backup.
 */
@Tag("integration")
class BackupResumeAfterKillTest {

	private static final int PER_PARTITION = 20_000;

	private static Sandboxes sandboxes;

	@TempDir
	Path reference;

	@TempDir
	Path interrupted;

	@BeforeAll
	static void seed() {
		sandboxes = Sandboxes.start();
		BulkData.avro(sandboxes.bootstrapServers(), sandboxes.registryClient(), "cdc.events", 4, PER_PARTITION);
		BulkData.raw(sandboxes.bootstrapServers(), "connect-offsets", 2, PER_PARTITION);
	}

	@AfterAll
	static void stop() {
		sandboxes.close();
	}

	private List<String> arguments(Path storage) {
		List<String> args = new ArrayList<>(List.of("backup", "--backup-id", "nightly"));
		args.addAll(sandboxes.properties(storage, "--kafka-dr.topics.avro=cdc\\..*",
				"--kafka-dr.topics.raw=connect-offsets", "--kafka-dr.backup.chunk-size=250",
				"--kafka-dr.backup.segment-size=1MB"));
		return args;
	}

	@Test
	void resumesAfterEveryKillAndEndsWithTheSameRecords() {
		List<String> referenceArgs = arguments(this.reference);
		CommandRun uninterrupted = CommandRun.of(referenceArgs.subList(3, referenceArgs.size()), "backup", "--backup-id",
				"nightly");
		assertThat(uninterrupted.exitCode()).as(uninterrupted.toString()).isZero();
		long referenceBytes = SegmentBytes.of(this.reference, "nightly");

		long seed = System.nanoTime();
		Random random = new Random(seed);
		double[] killPoints = { 0.0, 0.1 + random.nextDouble() * 0.3, 0.5 + random.nextDouble() * 0.4 };
		for (int kill = 0; kill < killPoints.length; kill++) {
			double killPoint = killPoints[kill];
			ChildProcess child = ChildProcess.start(arguments(this.interrupted));
			long target = (long) (referenceBytes * killPoint);
			await("backup progress past " + killPoint + " (seed " + seed + ")").atMost(Duration.ofMinutes(2))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> !child.isAlive()
						|| (started(this.interrupted) && SegmentBytes.of(this.interrupted, "nightly") >= target));
			// Stopped at once, so that it cannot finish during the checks before the kill.
			child.pause();
			assertThat(child.isAlive()).as("the backup finished before the kill at " + killPoint + "\n" + child.output())
				.isTrue();
			if (kill == 1) {
				assertASecondBackupIsRefused();
			}
			child.kill();
		}
		ChildProcess last = ChildProcess.start(arguments(this.interrupted));
		assertThat(last.waitFor(Duration.ofMinutes(3))).as(last.output()).isZero();

		BackupDirectory expected = new BackupStorage(this.reference).backup("nightly");
		BackupDirectory actual = new BackupStorage(this.interrupted).backup("nightly");
		SameBackup.assertSameRecords(expected, actual, 6L * PER_PARTITION);
		CommandRun verify = CommandRun.of(sandboxes.properties(this.interrupted), "verify", "--backup-id", "nightly");
		assertThat(verify.exitCode()).as(verify.toString()).isZero();
		CommandRun history = CommandRun.of(sandboxes.properties(this.interrupted), "history", "--json");
		assertThat(history.out()).contains("\"status\" : \"COMPLETED\"").contains("\"status\" : \"FAILED\"");
	}

	/** While the child runs, another backup into the same location is refused and changes nothing. */
	private void assertASecondBackupIsRefused() {
		List<String> args = arguments(this.interrupted);
		// A job repository of its own: the stopped child's H2 server cannot answer, and the file lock alone must refuse it.
		args.add("--spring.datasource.url=jdbc:h2:mem:other");
		CommandRun second = CommandRun.of(args.subList(3, args.size()), "backup", "--backup-id", "other");
		assertThat(second.exitCode()).as(second.toString()).isEqualTo(2);
		assertThat(second.err()).contains("Another kafka-dr backup holds the storage location", "pid");
		assertThat(this.interrupted.resolve("other")).doesNotExist();
	}

	/** Whether the job got past its first steps (the topic plan exists). */
	private static boolean started(Path storage) {
		return Files.exists(storage.resolve("nightly").resolve(BackupDirectory.TOPICS));
	}

}
