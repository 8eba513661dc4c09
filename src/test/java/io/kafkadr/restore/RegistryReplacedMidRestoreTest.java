package io.kafkadr.restore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryProperties;
import io.kafkadr.sandbox.RegistrySandbox;
import io.kafkadr.testing.ChildProcess;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.SourceAndTarget;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A target registry replaced while a restore ran (killed once it wrote records), by one
 * where other schemas took their ids: the restore run again says that waiting will not help and
 * what will, once, without a stack trace; and what it says works: pointed at an empty registry, the
 * same command registers the schemas again and completes, validated.
 */
@Tag("integration")
class RegistryReplacedMidRestoreTest {

	private static final String BACKUP = "before-the-swap";

	private static SourceAndTarget clusters;

	@TempDir
	static Path storage;

	@BeforeAll
	static void backUp() {
		clusters = SourceAndTarget.start();
		clusters.backUp(storage, BACKUP, "cdc.events", 2, 5_000, "connect-offsets", 1, 100);
	}

	@AfterAll
	static void stop() {
		clusters.source().close();
		clusters.target().close();
	}

	@Test
	void theRerunSaysWhatToDoAndDoingItCompletesTheRestore() {
		List<String> restore = new ArrayList<>(List.of("restore", "--backup-id", BACKUP));
		restore.addAll(properties(clusters.target().registry().url(), "--kafka-dr.restore.chunk-size=100"));
		ChildProcess child = ChildProcess.start(restore);
		try (Admin admin = RestoreAssertions.admin(clusters.target())) {
			// past its schema steps: the records flow
			await("the restore writing records").atMost(Duration.ofMinutes(2))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> !child.isAlive() || RestoreAssertions.recordsIn(admin, List.of("cdc.events")) > 0);
		}
		child.pause();
		assertThat(child.isAlive()).as("the restore ended before the kill\n" + child.output()).isTrue();
		child.kill();

		try (RegistrySandbox replaced = RegistrySandbox.start(); RegistrySandbox empty = RegistrySandbox.start()) {
			RegistryClient other = new RegistryClient(RegistryProperties.forUrl(replaced.url()));
			for (int i = 0; i < 5; i++) {
				other.register("someone-else-" + i + "-value", "AVRO", "{\"type\":\"record\",\"name\":\"Other" + i
						+ "\",\"fields\":[{\"name\":\"f\",\"type\":\"string\"}]}", List.of(), null, null);
			}
			CommandRun rerun = CommandRun.of(properties(replaced.url()), "restore", "--backup-id", BACKUP);
			assertThat(rerun.exitCode()).as(rerun.toString()).isEqualTo(1);
			String all = rerun.out() + rerun.err();
			assertThat(all).contains("lost the backup's schemas this restore registered",
					"Point kafka-dr.registry.url at an empty registry", "run the same restore command again",
					"--allow-new-schema-ids")
				.doesNotContain("\tat ");

			CommandRun wayOut = CommandRun.of(properties(empty.url()), "restore", "--backup-id", BACKUP);
			assertThat(wayOut.exitCode()).as(wayOut.toString()).isZero();
			assertThat(wayOut.out()).contains("Validation PASSED");
		}
	}

	private static List<String> properties(String registryUrl, String... more) {
		List<String> properties = new ArrayList<>(List.of(more));
		properties.add("--kafka-dr.registry.url=" + registryUrl);
		properties.add("--kafka-dr.restore.registry-timeout=20s");
		return clusters.target().properties(storage, properties.toArray(String[]::new));
	}

}
