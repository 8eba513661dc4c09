package io.kafkadr.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command: the whole drill, on real sandboxes, ends validated. */
@Tag("integration")
class DemoCommandTest {

	@Test
	void runsTheWholeDrillAndValidatesTheRestore() {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exitCode = KafkaDrWithDemo.run(new PrintWriter(out, true), new PrintWriter(err, true), "demo", "--changes",
				"300");
		assertThat(exitCode).as("exit code; out:%n%s%nerr:%n%s", out, err).isZero();
		assertThat(out.toString()).containsSubsequence("Seeding a Debezium CDC pipeline", "postgres.public.users",
				"Backing up", "backupJob execution", "COMPLETED", "Verifying the backup offline", "is intact",
				"Disaster: the cluster and the registry are destroyed", "Starting a fresh, empty platform",
				"Restoring into it", "Validation PASSED", "partitions: 43/43 match the backup",
				"consumer-group offsets: 11/11", "Job history", "restore of backup demo", "backup demo",
				"Drill complete");
	}

}
