package io.kafkadr.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.RecordedRuns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code history} filters and {@code history show} against a real job repository (the H2 file of a
 * storage location) holding backup and restore executions of the last weeks, with partitions.
 */
class HistoryQueriesTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	static Path storage;

	static long oldFailedBackup;

	static long stoppedBackup;

	static long completedBackup;

	static long failedRestore;

	@BeforeAll
	static void recordRuns() {
		LocalDateTime now = LocalDateTime.now();
		try (RecordedRuns runs = RecordedRuns.open(storage)) {
			oldFailedBackup = runs.execution("backupJob", backup("weekly"), BatchStatus.FAILED, now.minusDays(10)).getId();

			JobExecution restore = runs.execution("restoreJob", new JobParametersBuilder().addString("backup.id", "nightly")
				.addString("restore.target", "cluster-b")
				.toJobParameters(), BatchStatus.FAILED, now.minusDays(2));
			runs.step(restore, "cdcTopics", BatchStatus.FAILED, 300, Map.of());
			runs.step(restore, "cdcTopicsPartition:cdc.events-0", BatchStatus.FAILED, 300,
					Map.of("source", "cdc.events", "target", "drill.events", "partition", 0, "target.start", 42L));
			failedRestore = restore.getId();

			JobExecution stopped = runs.execution("backupJob", backup("nightly"), BatchStatus.STOPPED, now.minusHours(5));
			runs.step(stopped, "internalTopics", BatchStatus.STOPPED, 1500, Map.of());
			runs.step(stopped, "internalTopicsPartition:connect-offsets-0", BatchStatus.COMPLETED, 1000,
					Map.of("topic", "connect-offsets", "partition", 0, "start", 0L, "end", 1000L, "reader.position", 1000L));
			runs.step(stopped, "internalTopicsPartition:connect-offsets-1", BatchStatus.STOPPED, 500,
					Map.of("topic", "connect-offsets", "partition", 1, "start", 200L, "end", 1200L, "reader.position", 700L));
			stoppedBackup = stopped.getId();

			completedBackup = runs.execution("backupJob", backup("nightly"), BatchStatus.COMPLETED, now.minusHours(1))
				.getId();
		}
	}

	private static JobParameters backup(String id) {
		return new JobParametersBuilder().addString("backup.id", id).toJobParameters();
	}

	@Test
	void filtersByJobStatusAndAge() {
		assertThat(ids("history", "--json")).containsExactly(completedBackup, stoppedBackup, failedRestore,
				oldFailedBackup);
		assertThat(ids("history", "--job", "backup", "--json")).containsExactly(completedBackup, stoppedBackup,
				oldFailedBackup);
		assertThat(ids("history", "--job", "restore", "--json")).containsExactly(failedRestore);
		assertThat(ids("history", "--status", "failed", "--json")).containsExactly(failedRestore, oldFailedBackup);
		assertThat(ids("history", "--job", "backup", "--status", "FAILED", "--json")).containsExactly(oldFailedBackup);
		assertThat(ids("history", "--status", "FAILED", "--since", "7d", "--json")).containsExactly(failedRestore);
		assertThat(ids("history", "--since", "12h", "--json")).containsExactly(completedBackup, stoppedBackup);
		assertThat(ids("history", "--since", "30m", "--json")).isEmpty();
		assertThat(ids("history", "--since", "30d", "--limit", "2", "--json")).containsExactly(completedBackup,
				stoppedBackup);

		CommandRun human = run("history", "--job", "backup", "--status", "STOPPED");
		assertThat(human.out()).contains("backup nightly", "STOPPED").doesNotContain("COMPLETED", "weekly");
		assertThat(run("history", "--since", "1m").out()).contains("No job executions match.");
	}

	@Test
	void refusesFiltersItCannotRead() {
		CommandRun status = run("history", "--status", "BROKEN");
		assertThat(status.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(status.err()).contains("--status BROKEN is not a job status", "STOPPED");
		CommandRun since = run("history", "--since", "last week");
		assertThat(since.exitCode()).isEqualTo(ExitCodes.USAGE);
		assertThat(since.err()).contains("--since last week is not a duration");
		CommandRun job = run("history", "--job", "verify");
		assertThat(job.exitCode()).isEqualTo(ExitCodes.USAGE);
		CommandRun missing = run("history", "show", "987654");
		assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.USAGE);
		assertThat(missing.err()).contains("There is no job execution 987654");
	}

	@Test
	void showsABackupExecutionWithThePositionOfEveryPartition() {
		JsonNode details = json("history", "show", String.valueOf(stoppedBackup), "--json");
		assertThat(details.path("execution").path("executionId").asLong()).isEqualTo(stoppedBackup);
		assertThat(details.path("execution").path("status").asString()).isEqualTo("STOPPED");
		assertThat(details.path("parameters").path("backup.id").asString()).isEqualTo("nightly");
		List<JsonNode> partitions = details.path("partitions").values().stream().toList();
		assertThat(partitions).extracting(p -> p.path("step").asString(), p -> p.path("name").asString(),
				p -> p.path("status").asString(), p -> p.path("writeCount").asLong())
			.containsExactly(org.assertj.core.groups.Tuple.tuple("internalTopics", "connect-offsets-0", "COMPLETED", 1000L),
					org.assertj.core.groups.Tuple.tuple("internalTopics", "connect-offsets-1", "STOPPED", 500L));
		JsonNode stopped = partitions.get(1);
		assertThat(stopped.path("backup").path("topic").asString()).isEqualTo("connect-offsets");
		assertThat(stopped.path("backup").path("partition").asInt()).isEqualTo(1);
		assertThat(stopped.path("backup").path("start").asLong()).isEqualTo(200);
		assertThat(stopped.path("backup").path("end").asLong()).isEqualTo(1200);
		assertThat(stopped.path("backup").path("position").asLong()).isEqualTo(700);
		assertThat(stopped.path("restore").isNull()).isTrue();
		assertThat(details.path("execution").path("steps").values().stream().map(s -> s.path("name").asString()))
			.containsExactly("internalTopics");

		CommandRun human = run("history", "show", String.valueOf(stoppedBackup));
		assertThat(human.exitCode()).as(human.toString()).isZero();
		assertThat(human.out()).contains("backup nightly", "parameters: backup.id=nightly")
			.containsPattern("internalTopics +connect-offsets-1 +STOPPED +500 +500  offsets \\[200, 1,200\\) read up to 700");
	}

	@Test
	void showsARestoreExecutionWithTheTargetOfEveryPartition() {
		JsonNode details = json("history", "show", String.valueOf(failedRestore), "--json");
		assertThat(details.path("parameters").path("restore.target").asString()).isEqualTo("cluster-b");
		JsonNode partition = details.path("partitions").get(0);
		assertThat(partition.path("step").asString()).isEqualTo("cdcTopics");
		assertThat(partition.path("status").asString()).isEqualTo("FAILED");
		assertThat(partition.path("backup").isNull()).isTrue();
		assertThat(partition.path("restore").path("source").asString()).isEqualTo("cdc.events");
		assertThat(partition.path("restore").path("target").asString()).isEqualTo("drill.events");
		assertThat(partition.path("restore").path("targetStart").asLong()).isEqualTo(42);

		CommandRun human = run("history", "show", String.valueOf(failedRestore));
		assertThat(human.out()).contains("restore of backup nightly", "into drill.events-0 after its offset 42");
	}

	private static List<Long> ids(String... command) {
		return json(command).values().stream().map(e -> e.path("executionId").asLong()).toList();
	}

	private static JsonNode json(String... command) {
		CommandRun run = run(command);
		assertThat(run.exitCode()).as(run.toString()).isZero();
		return JSON.readTree(run.out());
	}

	private static CommandRun run(String... command) {
		return CommandRun.of(List.of("--kafka-dr.storage.location=" + storage), command);
	}

}
