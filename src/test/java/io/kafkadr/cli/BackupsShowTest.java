package io.kafkadr.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.DirectoryCopy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code backups show ID} lists what a backup holds, from its manifest, and names what it cannot show. */
class BackupsShowTest {

	private static final Path FIXTURE = Path.of("src", "test", "resources", "fixtures", "format-v1", "v1-fixture");

	@TempDir
	Path storage;

	@BeforeEach
	void oneBackup() throws IOException {
		DirectoryCopy.copy(FIXTURE, this.storage.resolve("nightly"));
	}

	@Test
	void showsEveryTopicAndPartitionWithItsRangeRecordsAndSegments() {
		CommandRun show = run("backups", "show", "nightly");
		assertThat(show.exitCode()).as(show.toString()).isZero();
		assertThat(show.out()).contains("backup v1-fixture (format 1)", "full backup",
				"141 records in 45 partitions of 10 topics", "14 schemas, 2 consumer groups")
			.as("only an incremental backup continues a base")
			.doesNotContain("BASE END")
			.containsPattern("postgres\\.public\\.users\\s+avro\\s+0\\s+\\[0, \\d+\\)")
			.containsPattern("connect-offsets\\s+raw\\s+24\\s");
		CommandRun latest = run("backups", "show", "latest", "--json");
		assertThat(latest.exitCode()).as(latest.toString()).isZero();
		assertThat(latest.out()).contains("\"topic\"", "\"undecodedRecords\"", "\"segments\"", "postgres.public.users");
	}

	@Test
	void aBackupThatIsNotThereIsNamed() {
		CommandRun missing = run("backups", "show", "nope");
		assertThat(missing.exitCode()).isEqualTo(2);
		assertThat(missing.err()).contains("There is no backup nope", "`kafka-dr backups` lists");
	}

	private CommandRun run(String... command) {
		return CommandRun.of(List.of("--kafka-dr.storage.location=" + this.storage), command);
	}

}
