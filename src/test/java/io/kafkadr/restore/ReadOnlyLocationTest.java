package io.kafkadr.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.RootCommand;
import io.kafkadr.testing.SourceAndTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restore from a storage location that is really read-only (the backups bind-mounted read-only by
 * the test, as a snapshot or a read-only volume is; CI runs as root, whom file modes do not stop):
 * with {@code kafka-dr.job-repository.directory} set, verify and restore work, the validation report
 * is written beside the job repository, and not one byte of the location changes; without it
 * verify still works, history reads the location's own job repository as it is, and a restore says
 * which setting to give.
 */
@Tag("integration")
class ReadOnlyLocationTest {

	private static final String BACKUP = "snapshot";

	private static SourceAndTarget clusters;

	@TempDir
	static Path work;

	private static Path backups;

	private static Path readOnly;

	@BeforeAll
	static void backUpAndMountReadOnly() throws Exception {
		clusters = SourceAndTarget.start();
		backups = work.resolve("backups");
		clusters.backUp(backups, BACKUP, "cdc.events", 2, 500, "connect-offsets", 1, 500);
		readOnly = work.resolve("read-only");
		Files.createDirectories(readOnly);
		RootCommand.run("mount", "--bind", backups.toString(), readOnly.toString());
		RootCommand.run("mount", "-o", "remount,bind,ro", readOnly.toString());
	}

	@AfterAll
	static void unmount() throws Exception {
		RootCommand.run("umount", "-l", readOnly.toString());
		clusters.source().close();
		clusters.target().close();
	}

	@Test
	void aRestoreWithItsOwnJobRepositoryDirectoryWritesNothingIntoTheLocation() throws Exception {
		assertThat(Files.isWritable(readOnly.resolve(BACKUP)) && canCreate(readOnly)).as("mounted read-only").isFalse();
		Map<String, String> before = files(backups);
		Path state = work.resolve("restore-state");
		List<String> properties = clusters.target()
			.properties(readOnly, "--kafka-dr.job-repository.directory=" + state);

		CommandRun verify = CommandRun.of(properties, "verify", "--backup-id", BACKUP);
		assertThat(verify.exitCode()).as(verify.toString()).isZero();
		CommandRun restore = CommandRun.of(properties, "restore", "--backup-id", BACKUP);
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		assertThat(restore.out()).contains("Validation PASSED");

		RestoreAssertions.assertTargetEqualsSource(clusters.source(), clusters.target(), readOnly, BACKUP);
		assertThat(files(backups)).as("the location, byte for byte and to the modification time").isEqualTo(before);
		try (Stream<Path> written = Files.walk(state)) {
			assertThat(written.map(Path::toString)).anyMatch(path -> path.endsWith("/validation.json"))
				.anyMatch(path -> path.endsWith("job-repository.mv.db"));
		}
		CommandRun again = CommandRun.of(properties, "restore", "--backup-id", BACKUP);
		assertThat(again.exitCode()).as(again.toString()).isEqualTo(2);
		assertThat(again.err()).contains("was already restored", state.toString());
	}

	@Test
	void withoutItVerifyAndHistoryWorkAndARestoreNamesTheSettingToGive() throws IOException {
		Map<String, String> before = files(backups);
		// verify needs no job repository: it reads the backup and nothing else
		CommandRun verify = CommandRun.of(clusters.target().properties(readOnly), "verify", "--backup-id", BACKUP);
		assertThat(verify.exitCode()).as(verify.toString()).isZero();
		// the history of the runs that wrote the location, read as it is
		CommandRun history = CommandRun.of(clusters.target().properties(readOnly), "history");
		assertThat(history.exitCode()).as(history.toString()).isZero();
		assertThat(history.out()).contains("backup " + BACKUP, "COMPLETED");
		CommandRun restore = CommandRun.of(clusters.target().properties(readOnly), "restore", "--backup-id", BACKUP);
		assertThat(restore.exitCode()).as(restore.toString()).isEqualTo(2);
		assertThat(restore.err()).contains("is not writable", "read-only", "kafka-dr.job-repository.directory")
			.doesNotContain("\tat ");
		assertThat(files(backups)).isEqualTo(before);
	}

	private static boolean canCreate(Path directory) {
		try {
			Files.delete(Files.createTempFile(directory, "probe", ".tmp"));
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Every file below a directory with its size and modification time. */
	private static Map<String, String> files(Path directory) throws IOException {
		Map<String, String> files = new TreeMap<>();
		try (Stream<Path> walk = Files.walk(directory)) {
			for (Path file : walk.filter(Files::isRegularFile).toList()) {
				files.put(directory.relativize(file).toString(),
						Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis());
			}
		}
		return files;
	}

}
