package io.kafkadr.execution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.kafkadr.testing.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job repository is opened when a command first uses it, not while the application starts; a
 * directory it cannot be created in is still refused with the setting to change, not with H2's or
 * Spring's words for it.
 */
class JobRepositoryOnFirstUseTest {

	@TempDir
	Path directory;

	@Test
	void aDirectoryThatCannotBeCreatedIsRefusedNamingTheSetting() throws IOException {
		Path file = Files.writeString(this.directory.resolve("not-a-directory"), "x");
		Path state = file.resolve("state");
		// a backup asks the job repository for the backup id before it reaches for the cluster
		CommandRun run = CommandRun.of(List.of("--kafka-dr.storage.location=" + this.directory.resolve("backups"),
				"--kafka-dr.job-repository.directory=" + state, "--kafka-dr.topics.raw=connect-.*",
				"--spring.kafka.bootstrap-servers=127.0.0.1:1"), "backup", "--backup-id", "b1");
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
		assertThat(run.err()).contains("The job repository's directory " + state + " is not writable",
				"kafka-dr.job-repository.directory")
			.doesNotContain("JDBC", "\tat ");
		assertThat(this.directory.resolve("backups/b1")).doesNotExist();
	}

	@Test
	void aCommandThatDoesNotUseTheJobRepositoryDoesNotConnectToIt() {
		// nothing listens on port 1: a connection while the application starts would fail the command
		CommandRun run = CommandRun.of(List.of("--kafka-dr.storage.location=" + this.directory.resolve("backups"),
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/kafka_dr"), "backups");
		assertThat(run.exitCode()).as(run.toString()).isZero();
		assertThat(run.out()).contains("No backups in");
	}

}
