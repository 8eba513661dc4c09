package io.kafkadr.cli;

import io.kafkadr.testing.CommandRun;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command: the whole drill, on real sandboxes, ends validated. */
class DemoCommandTest {

	@Test
	void runsTheWholeDrillAndValidatesTheRestore() {
		CommandRun demo = CommandRun.of(List.of(), "demo", "--changes", "300");
		assertThat(demo.exitCode()).as(demo.toString()).isZero();
		assertThat(demo.out()).containsSubsequence("Seeding a Debezium CDC pipeline", "postgres.public.users",
				"Backing up", "backupJob execution", "COMPLETED", "Verifying the backup offline", "is intact",
				"Disaster: the cluster and the registry are destroyed", "Starting a fresh, empty platform",
				"Restoring into it", "Validation PASSED", "partitions: 43/43 match the backup",
				"consumer-group offsets: 11/11", "Job history", "restore of backup demo", "backup demo",
				"Drill complete");
	}

}
