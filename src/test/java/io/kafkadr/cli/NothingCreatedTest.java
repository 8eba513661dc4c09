package io.kafkadr.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.kafkadr.testing.CommandRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command refused once the application has started, or one that finds nothing to read, creates
 * no file and no directory: not the job repository's, which is opened on its first use, nor its
 * directory. A location that does not exist stays so, and an empty one empty.
 */
class NothingCreatedTest {

	@TempDir
	Path directory;

	/** Whether the working directory had a {@code .kafka-dr} before the test: another run may have left one. */
	private boolean workingDirectoryHadOne;

	@BeforeEach
	void noteTheWorkingDirectory() {
		this.workingDirectoryHadOne = Files.exists(Path.of(".kafka-dr"));
	}

	@AfterEach
	void theWorkingDirectoryGotNone() {
		if (!this.workingDirectoryHadOne) {
			assertThat(Path.of(".kafka-dr")).doesNotExist();
		}
	}

	@Test
	void listingTheBackupsOfALocationThatDoesNotExist() throws IOException {
		Path location = this.directory.resolve("backups");
		for (List<String> properties : settings(location)) {
			CommandRun run = CommandRun.of(properties, "backups");
			assertThat(run.exitCode()).as(run.toString()).isZero();
			assertThat(run.out()).contains("No backups in " + location);
			assertThat(created()).as(run.toString()).isEmpty();
		}
	}

	@Test
	void verifyingTheLatestBackupOfAnEmptyLocation() throws IOException {
		Path location = Files.createDirectory(this.directory.resolve("backups"));
		for (List<String> properties : settings(location)) {
			CommandRun run = CommandRun.of(properties, "verify", "--backup-id", "latest");
			assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
			assertThat(run.err()).contains("There is no complete backup in " + location, "--backup-id latest");
			assertThat(created()).as(run.toString()).containsExactly(location);
		}
	}

	@Test
	void restoringABackupThatIsNotThere() throws IOException {
		Path location = Files.createDirectory(this.directory.resolve("backups"));
		// the refusal comes before any connection, so the cluster need not exist
		for (List<String> properties : settings(location, "--spring.kafka.bootstrap-servers=127.0.0.1:1")) {
			CommandRun run = CommandRun.of(properties, "restore", "--backup-id", "nope");
			assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
			assertThat(run.err()).contains("There is no backup nope in " + location, "kafka-dr backups");
			assertThat(created()).as(run.toString()).containsExactly(location);
		}
	}

	/** history reads the job repository, but one that was never created holds no run: it says so and creates none. */
	@Test
	void theHistoryOfALocationWithoutRuns() throws IOException {
		Path location = this.directory.resolve("backups");
		for (List<String> properties : settings(location)) {
			CommandRun run = CommandRun.of(properties, "history");
			assertThat(run.exitCode()).as(run.toString()).isZero();
			assertThat(run.out()).contains("No job executions yet.");
			CommandRun json = CommandRun.of(properties, "history", "--json");
			assertThat(json.exitCode()).as(json.toString()).isZero();
			assertThat(json.out().replaceAll("\\s", "")).isEqualTo("[]");
			CommandRun show = CommandRun.of(properties, "history", "show", "1");
			assertThat(show.exitCode()).as(show.toString()).isEqualTo(ExitCodes.USAGE);
			assertThat(show.err()).contains("There is no job execution 1 in the job repository");
			assertThat(created()).as(show.toString()).isEmpty();
		}
	}

	/**
	 * The settings of a command on this location, once with the job repository in it (the default)
	 * and once in a directory of its own.
	 */
	private List<List<String>> settings(Path location, String... more) {
		List<String> inLocation = new ArrayList<>(List.of(more));
		inLocation.add("--kafka-dr.storage.location=" + location);
		List<String> ownDirectory = new ArrayList<>(inLocation);
		ownDirectory.add("--kafka-dr.job-repository.directory=" + this.directory.resolve("state"));
		return List.of(inLocation, ownDirectory);
	}

	/** Every file and directory below the test's directory. */
	private List<Path> created() throws IOException {
		try (Stream<Path> walk = Files.walk(this.directory)) {
			return walk.filter(path -> !path.equals(this.directory)).sorted().toList();
		}
	}

}
