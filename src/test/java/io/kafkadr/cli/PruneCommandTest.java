package io.kafkadr.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import io.kafkadr.archive.BackupStorage;
import io.kafkadr.storage.StorageLock;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.CraftedBackups;
import io.kafkadr.testing.RecordedRuns;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code prune} over a storage location holding complete backups of different ages and incomplete
 * ones in every state that matters: unknown to the job repository and long untouched, failed long
 * ago, failed ten days ago, stopped three hours ago (the next backup resumes it).
 *
 * <p>The backups are crafted, not taken: a backup completed 40 days ago cannot be had otherwise.
 * Prune reads of a complete backup only its manifest (that it is a valid manifest of a known
 * format version, its completion time and base), and of an incomplete one only the job repository,
 * its {@code topics.json} and its files' times, so each crafted backup is a real manifest written
 * by the archive's own writer beside a segment file ({@link CraftedBackups}), and the runs are real
 * job-repository records ({@link RecordedRuns}). {@code PruneStepTest} prunes real backups;
 * {@code IncrementalChainsCommandTest} prunes chains of incremental backups.
 */
class PruneCommandTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<String> ALL = List.of("c-10d", "c-1h", "c-20d", "c-2d", "c-40d", "c-60d", "i-failed-10d",
			"i-failed-45d", "i-stopped-3h", "i-unknown-50d");

	@TempDir
	Path storage;

	CraftedBackups crafted;

	@BeforeEach
	void craftBackups() {
		this.crafted = new CraftedBackups(this.storage);
		for (String id : List.of("c-1h", "c-2d", "c-10d", "c-20d", "c-40d", "c-60d")) {
			this.crafted.full(id, age(id));
		}
		this.crafted.incomplete("i-unknown-50d");
		this.crafted.backdate("i-unknown-50d", Instant.now().minus(Duration.ofDays(50)));
		LocalDateTime now = LocalDateTime.now();
		try (RecordedRuns runs = RecordedRuns.open(this.storage)) {
			failedRun(runs, "i-failed-45d", now.minusDays(45));
			failedRun(runs, "i-failed-10d", now.minusDays(10));
			runs.execution("backupJob", parameters("i-stopped-3h"), BatchStatus.STOPPED, now.minusHours(3));
			this.crafted.incomplete("i-stopped-3h");
		}
		assertThat(this.crafted.remaining()).containsExactlyElementsOf(ALL);
	}

	@Test
	void dryRunListsWhatEachRuleWouldDeleteAndDeletesNothing() {
		assertThat(deleted("prune", "--keep", "3", "--dry-run", "--json")).containsExactly("c-20d", "c-40d", "c-60d");
		assertThat(deleted("prune", "--older-than", "30d", "--dry-run", "--json")).containsExactly("c-40d", "c-60d",
				"i-failed-45d", "i-unknown-50d");
		CommandRun human = run("prune", "--keep", "3", "--older-than", "30d", "--dry-run");
		assertThat(human.exitCode()).as(human.toString()).isZero();
		assertThat(human.out()).contains("keep the newest 3 complete backups; of the others, delete what is older than 30d")
			.containsPattern("c-60d +complete +full +- +60d +would go +not among the newest 3 and older than 30d")
			.containsPattern("c-20d +complete +full +- +20d +kept +younger than 30d")
			.containsPattern("c-1h +complete +full +- +60m +kept +the newest complete backup, always kept")
			.containsPattern("i-stopped-3h +incomplete +- +- .*kept +incomplete: the next `kafka-dr backup` resumes it")
			.containsPattern("i-failed-10d +incomplete .*kept .*resume it with `kafka-dr backup --backup-id i-failed-10d`")
			.contains("Dry run: 4 of 10 backups would be deleted; nothing was deleted.");
		assertThat(this.crafted.remaining()).containsExactlyElementsOf(ALL);
	}

	@Test
	void deletesWhatNoRuleKeepsButNeverTheNewestCompleteBackup() {
		CommandRun pruned = run("prune", "--keep", "2", "--older-than", "15d");
		assertThat(pruned.exitCode()).as(pruned.toString()).isZero();
		assertThat(pruned.out()).contains("Deleted 5 of 10 backups.");
		assertThat(this.crafted.remaining()).containsExactly("c-10d", "c-1h", "c-2d", "i-failed-10d", "i-stopped-3h");

		assertThat(deleted("prune", "--keep", "1", "--older-than", "1s", "--json")).containsExactly("c-10d", "c-2d",
				"i-failed-10d");
		assertThat(this.crafted.remaining()).as("the newest complete backup stays, however old")
			.containsExactly("c-1h", "i-stopped-3h");
		assertThat(this.storage.resolve(".kafka-dr").resolve("deleted")).isEmptyDirectory();

		CommandRun history = run("history", "--job", "backup", "--json");
		assertThat(JSON.readTree(history.out()).values()).as("the job repository keeps the history of deleted backups")
			.extracting(execution -> execution.path("backupId").asString())
			.contains("i-failed-45d", "i-failed-10d");
	}

	@Test
	void deletesNothingWhileABackupOrARestoreHoldsTheLocation() {
		for (String kind : List.of("backup", "restore")) {
			try (StorageLock held = new BackupStorage(this.storage).lock(kind)) {
				CommandRun refused = run("prune", "--keep", "1");
				assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
				assertThat(refused.err()).contains("Another kafka-dr " + kind + " holds the storage location");
				assertThat(deleted("prune", "--keep", "1", "--dry-run", "--json")).hasSize(5);
			}
			assertThat(this.crafted.remaining()).containsExactlyElementsOf(ALL);
		}
	}

	@Test
	void refusesRulesThatSayNothingOrCannotBeRead() {
		assertRefused(run("prune"), "Say what to keep: --keep N");
		assertRefused(run("prune", "--keep", "0"), "--keep 0: keep at least 1");
		assertRefused(run("prune", "--older-than", "a while"), "--older-than a while is not a duration");
		assertRefused(run("prune", "--older-than", "-3d"), "--older-than -3d is negative");
		assertThat(this.crafted.remaining()).containsExactlyElementsOf(ALL);
	}

	private static void assertRefused(CommandRun run, String message) {
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
		assertThat(run.err()).contains(message);
	}

	private static Duration age(String id) {
		String amount = id.substring(2, id.length() - 1);
		return id.endsWith("h") ? Duration.ofHours(Long.parseLong(amount)) : Duration.ofDays(Long.parseLong(amount));
	}

	private void failedRun(RecordedRuns runs, String id, LocalDateTime started) {
		JobExecution failed = runs.execution("backupJob", parameters(id), BatchStatus.FAILED, started);
		runs.step(failed, "schemas", BatchStatus.FAILED, 0, Map.of());
		this.crafted.incomplete(id);
	}

	private static org.springframework.batch.core.job.parameters.JobParameters parameters(String id) {
		return new JobParametersBuilder().addString("backup.id", id).toJobParameters();
	}

	private List<String> deleted(String... command) {
		CommandRun run = run(command);
		assertThat(run.exitCode()).as(run.toString()).isZero();
		JsonNode plan = JSON.readTree(run.out());
		return plan.path("backups").values().stream().filter(b -> b.path("delete").asBoolean())
			.map(b -> b.path("backupId").asString()).toList();
	}

	private CommandRun run(String... command) {
		return CommandRun.of(List.of("--kafka-dr.storage.location=" + this.storage), command);
	}

}
