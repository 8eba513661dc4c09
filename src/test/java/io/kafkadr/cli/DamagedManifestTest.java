package io.kafkadr.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.DirectoryCopy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One backup whose manifest cannot be read is marked damaged, with its file named, and every other
 * backup in the location stays usable: {@code backups} lists them all and {@code --backup-id latest}
 * passes over the damaged one. Two copies of the format-1 fixture stand for the backups.
 */
class DamagedManifestTest {

	private static final Path FIXTURE = Path.of("src", "test", "resources", "fixtures", "format-v1", "v1-fixture");

	@TempDir
	Path storage;

	@BeforeEach
	void twoBackupsOneDamaged() throws IOException {
		DirectoryCopy.copy(FIXTURE, this.storage.resolve("intact"));
		DirectoryCopy.copy(FIXTURE, this.storage.resolve("zz-damaged"));
		// cut mid-way, as a full disk or an interrupted copy leaves a file
		Path manifest = this.storage.resolve("zz-damaged").resolve("manifest.json");
		byte[] bytes = Files.readAllBytes(manifest);
		Files.write(manifest, Arrays.copyOf(bytes, bytes.length / 2));
	}

	@Test
	void backupsListsTheDamagedOneWithItsFileAndTheRestAsUsual() {
		CommandRun backups = CommandRun.of(List.of("--kafka-dr.storage.location=" + this.storage), "backups");
		assertThat(backups.exitCode()).as(backups.toString()).isZero();
		assertThat(backups.out()).containsPattern("intact\\s+complete\\s+.*141")
			.containsPattern("zz-damaged\\s+damaged\\s+")
			.contains(this.storage.resolve("zz-damaged").resolve("manifest.json").toString(), "cannot be read");
		assertThat(backups.toString()).doesNotContain("at io.kafkadr", "Exception:");
	}

	@Test
	void latestPassesOverTheDamagedOneAndItsOwnVerifyNamesTheFile() {
		CommandRun latest = CommandRun.of(List.of("--kafka-dr.storage.location=" + this.storage), "verify", "--backup-id",
				"latest");
		assertThat(latest.exitCode()).as(latest.toString()).isZero();
		assertThat(latest.out()).contains("intact", "is intact");
		CommandRun damaged = CommandRun.of(List.of("--kafka-dr.storage.location=" + this.storage), "verify",
				"--backup-id", "zz-damaged");
		assertThat(damaged.exitCode()).as(damaged.toString()).isNotZero();
		assertThat(damaged.err()).contains("The manifest of backup zz-damaged", "manifest.json", "cannot be read",
				"Restore another backup");
		assertThat(damaged.toString()).doesNotContain("at io.kafkadr");
	}

}
