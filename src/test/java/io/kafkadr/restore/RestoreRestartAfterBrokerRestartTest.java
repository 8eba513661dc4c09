package io.kafkadr.restore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

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
 * The target broker stops while {@code cdcTopics} writes (a real child process restores; the broker
 * is shut down under it and stays down until the restore gave up, which it must do within bounded
 * time). With the broker back on the same port, the same restore command completes, and every
 * partition holds exactly the source's records: none lost, none duplicated.
 */
@Tag("integration")
class RestoreRestartAfterBrokerRestartTest {

	private static final int PER_PARTITION = 6_000;

	private static final String BACKUP = "nightly";

	private static final String CDC_TOPIC = "cdc.payments";

	private static final String RAW_TOPIC = "connect-configs";

	private static final int RAW_RECORDS = 1_000;

	private static Sandboxes source;

	private static Sandboxes target;

	@TempDir
	static Path storage;

	@BeforeAll
	static void backUp() {
		SourceAndTarget clusters = SourceAndTarget.start();
		source = clusters.source();
		target = clusters.target();
		clusters.backUp(storage, BACKUP, CDC_TOPIC, 3, PER_PARTITION, RAW_TOPIC, 1, RAW_RECORDS);
	}

	@AfterAll
	static void stop() {
		source.close();
		target.close();
	}

	/** Kafka clients that give up within seconds while the broker is down, instead of minutes. */
	private static List<String> properties() {
		return target.properties(storage, "--kafka-dr.restore.chunk-size=200", "--kafka-dr.backup.kafka-timeout=5s",
				"--spring.kafka.producer.properties.delivery.timeout.ms=10000",
				"--spring.kafka.producer.properties.request.timeout.ms=4000",
				"--spring.kafka.producer.properties.max.block.ms=5000");
	}

	private static List<String> restore() {
		List<String> args = new ArrayList<>(List.of("restore", "--backup-id", BACKUP));
		args.addAll(properties());
		return args;
	}

	@Test
	void completesExactlyAfterTheBrokerCameBack() {
		long seed = System.nanoTime();
		System.out.println("RestoreRestartAfterBrokerRestartTest seed " + seed);
		long stopAt = (long) (3L * PER_PARTITION * (0.1 + new Random(seed).nextDouble() * 0.5));
		ChildProcess child = ChildProcess.start(restore());
		try (Admin admin = RestoreAssertions.admin(target)) {
			// internalTopics shares the partition threads with cdcTopics and may be queued behind its partitions:
			// the outage must come after it completed, as the assertions below expect.
			await("cdcTopics past " + stopAt + " records and internalTopics complete (seed " + seed + ")")
				.atMost(Duration.ofMinutes(2))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> !child.isAlive() || (RestoreAssertions.recordsIn(admin, List.of(CDC_TOPIC)) >= stopAt
						&& RestoreAssertions.recordsIn(admin, List.of(RAW_TOPIC)) >= RAW_RECORDS));
			assertThat(child.isAlive()).as("the restore ended before the broker stopped (seed " + seed + ")\n"
					+ child.output()).isTrue();
		}
		target.kafka().stopBroker();
		int exitCode;
		try {
			// well beyond delivery.timeout.ms, but bounded: a restore must give up, not wait for the broker forever
			exitCode = child.waitFor(Duration.ofSeconds(90));
		}
		finally {
			target.kafka().startBroker();
		}
		// The broker stays down until the restore gives up, so it cannot complete: it must fail, and say why.
		assertThat(exitCode).as(child.output()).isEqualTo(1);
		assertThat(child.output()).contains("cdcTopics", "FAILED");
		System.out.println("The restore failed while the broker was down:\n" + child.output()
			.lines()
			.filter(line -> line.contains("failure:") || line.contains("FAILED"))
			.reduce("", (a, b) -> a + b + "\n"));

		CommandRun resumed = CommandRun.of(properties(), "restore", "--backup-id", BACKUP);
		assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
		assertThat(resumed.out()).contains("Validation PASSED");

		RestoreAssertions.assertTargetEqualsSource(source, target, storage, BACKUP);
		List<JsonNode> executions = RestoreAssertions.restoreExecutions(properties());
		assertThat(executions).extracting(e -> e.path("status").asString()).containsExactly("FAILED", "COMPLETED");
		assertThat(RestoreAssertions.stepStatus(executions.get(0), "cdcTopics")).isEqualTo("FAILED");
		assertThat(RestoreAssertions.stepStatus(executions.get(1), "internalTopics"))
			.as("internalTopics completed before the outage and is not run again")
			.isNull();
	}

}
