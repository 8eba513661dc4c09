package io.kafkadr.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.kafkadr.testing.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line people guess right: help, suggestions, and short options for the common settings. */
class CommandLineHelpTest {

	@TempDir
	Path directory;

	@Test
	void helpNamesACommandsOptionsAndMainSettings() {
		CommandRun help = CommandRun.of(List.of(), "help", "backup");
		assertThat(help.exitCode()).as(help.toString()).isZero();
		assertThat(help.out()).contains("Usage: kafka-dr backup", "--bootstrap-server", "--registry-url", "--storage",
				"--plan", "kafka-dr.topics.avro", "kafka-dr.topics.raw");
		CommandRun overview = CommandRun.of(List.of(), "help");
		assertThat(overview.out()).contains("backup", "restore", "help", "Exit codes:");
	}

	@Test
	void aMisspeltCommandOrOptionGetsTheClosestOne() {
		CommandRun command = CommandRun.of(List.of(), "bakcup");
		assertThat(command.exitCode()).isEqualTo(2);
		assertThat(command.err()).contains("Unmatched argument", "Did you mean", "backup");
		CommandRun option = CommandRun.of(List.of(), "backups", "--stroage", "x");
		assertThat(option.exitCode()).isEqualTo(2);
		assertThat(option.err()).contains("Unknown options", "Possible solutions: --storage");
	}

	@Test
	void shortOptionsStandForTheirSettings() throws IOException {
		Path location = this.directory.resolve("location");
		CommandRun storage = CommandRun.of(List.of(), "backups", "--storage", location.toString());
		assertThat(storage.exitCode()).as(storage.toString()).isZero();
		assertThat(storage.out()).contains("No backups in " + location);

		Path plan = this.directory.resolve("site.yaml");
		Files.writeString(plan, "kafka-dr:\n  storage:\n    location: " + this.directory.resolve("planned") + "\n");
		CommandRun planned = CommandRun.of(List.of(), "backups", "--plan", plan.toString());
		assertThat(planned.exitCode()).as(planned.toString()).isZero();
		assertThat(planned.out()).contains("No backups in " + this.directory.resolve("planned"));

		CommandRun both = CommandRun.of(List.of("--kafka-dr.storage.location=" + location), "backups", "--storage",
				location.toString());
		assertThat(both.exitCode()).isEqualTo(2);
		assertThat(both.err()).contains("--storage and --kafka-dr.storage.location name the same setting");

		CommandRun missing = CommandRun.of(List.of(), "backups", "--plan", "no-such-plan");
		assertThat(missing.exitCode()).isEqualTo(2);
		assertThat(missing.err()).contains("--plan no-such-plan", "the plans under jobs/ are", "cdc-pipeline");
	}

}
