package io.kafkadr.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.TopicSnapshot;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.CraftedBackups;
import io.kafkadr.testing.RecordedRuns;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code prune}, {@code backups} and {@code backups show} over two chains of crafted backups (as
 * in {@link PruneCommandTest}), one completed a day after the other: {@code f1 ← i1 ← i2}, then
 * {@code f2 ← i3}. Retention counts every complete backup as a restore point and keeps every
 * backup a kept one continues, so a chain goes only whole.
 */
class IncrementalChainsCommandTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<String> CHAINS = List.of("f1", "f2", "i1", "i2", "i3");

	@TempDir
	Path storage;

	CraftedBackups crafted;

	@BeforeEach
	void twoChains() {
		this.crafted = new CraftedBackups(this.storage);
		this.crafted.complete("f1", Duration.ofDays(5), null,
				List.of(topic(partition(0, 0, 120, 120, null), partition(1, 0, 0, 0, null))));
		this.crafted.incremental("i1", Duration.ofDays(4), "f1");
		// i2's partition 0 continues its base after 10 offsets the broker deleted; partition 1 is held whole
		this.crafted.complete("i2", Duration.ofDays(3), this.crafted.base("i1"), List.of(topic(
				partition(0, 130, 200, 60, new Manifest.PartitionBase(120, "aa")), partition(1, 0, 5, 5, null))));
		this.crafted.full("f2", Duration.ofDays(2));
		this.crafted.incremental("i3", Duration.ofDays(1), "f2");
	}

	@Test
	void keepCountsRestorePointsAndKeepsWhatTheKeptOnesContinue() {
		JsonNode keepTwo = plan("--keep", "2");
		assertThat(going(keepTwo)).as("no kept backup continues f1, i1 or i2").containsExactly("f1", "i1", "i2");
		assertThat(reason(keepTwo, "f2")).isEqualTo("one of the newest 2 complete backups");

		JsonNode keepOne = plan("--keep", "1");
		assertThat(going(keepOne)).containsExactly("f1", "i1", "i2");
		assertThat(reason(keepOne, "f2")).isEqualTo("kept: backup i3, which is kept, continues it");

		JsonNode keepThree = plan("--keep", "3");
		assertThat(going(keepThree)).as("i2 is the third newest restore point and keeps its whole chain").isEmpty();
		assertThat(reason(keepThree, "i2")).isEqualTo("one of the newest 3 complete backups");
		assertThat(reason(keepThree, "i1")).isEqualTo("kept: backup i2, which is kept, continues it");
		assertThat(reason(keepThree, "f1")).isEqualTo("kept: backup i1, which is kept, continues it");

		JsonNode young = plan("--older-than", "84h");
		assertThat(going(young)).as("i2 is younger than 84h, so what it continues stays however old").isEmpty();
		assertThat(reason(young, "f1")).isEqualTo("kept: backup i1, which is kept, continues it");
	}

	@Test
	void dryRunJsonNamesEachBackupsTypeAndBase() {
		JsonNode plan = plan("--keep", "1");
		assertThat(decision(plan, "i3").path("type").asString()).isEqualTo("incremental");
		assertThat(decision(plan, "i3").path("base").asString()).isEqualTo("f2");
		assertThat(decision(plan, "i2").path("base").asString()).isEqualTo("i1");
		assertThat(decision(plan, "f1").path("type").asString()).isEqualTo("full");
		assertThat(decision(plan, "f1").get("base").isNull()).isTrue();
	}

	@Test
	void pruneShowsTheChainsAndDeletesOnlyWholeOnes() {
		CommandRun dryRun = run("prune", "--keep", "1", "--dry-run");
		assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
		assertThat(dryRun.out()).containsPattern("i3 +complete +incremental +f2 +24h +kept +the newest complete backup")
			.containsPattern("f2 +complete +full +- +2d +kept +kept: backup i3, which is kept, continues it")
			.containsPattern("i2 +complete +incremental +i1 +3d +would go +not among the newest 1")
			.containsPattern("f1 +complete +full +- +5d +would go");

		CommandRun pruned = run("prune", "--keep", "1");
		assertThat(pruned.exitCode()).as(pruned.toString()).isZero();
		assertThat(this.crafted.remaining()).containsExactly("f2", "i3");
	}

	@Test
	void anIncompleteBackupThatIsKeptKeepsTheChainItContinues() {
		// It began as an incremental of i2 and its topics step ran; then it failed and nothing resumed it.
		BackupDirectory failed = this.crafted.incomplete("j-failed");
		failed.write(BackupDirectory.TOPICS,
				new TopicSnapshot(Instant.now(), "cluster", List.of(), null, this.crafted.base("i2")));
		this.crafted.backdate("j-failed", Instant.now().minus(Duration.ofDays(2)));

		JsonNode kept = plan("--keep", "1");
		assertThat(going(kept)).as("only --older-than deletes an incomplete backup, and it keeps i2, i1 and f1")
			.isEmpty();
		assertThat(decision(kept, "j-failed").path("type").isNull()).isTrue();
		assertThat(decision(kept, "j-failed").path("base").asString()).isEqualTo("i2");
		assertThat(reason(kept, "i2")).isEqualTo("kept: backup j-failed, which is kept, continues it");

		JsonNode old = plan("--keep", "1", "--older-than", "36h");
		assertThat(going(old)).as("once the incomplete backup goes, nothing keeps its chain")
			.containsExactly("f1", "i1", "i2", "j-failed");
	}

	@Test
	void anIncompleteBackupWhoseTopicsStepHasNotRunKeepsTheBaseItsJobNames() {
		try (RecordedRuns runs = RecordedRuns.open(this.storage)) {
			runs.execution("backupJob",
					new JobParametersBuilder().addString("backup.id", "k-stopped")
						.addString("backup.base", "i1", false)
						.toJobParameters(),
					BatchStatus.STOPPED, LocalDateTime.now().minusHours(3));
		}
		this.crafted.incomplete("k-stopped");

		JsonNode plan = plan("--keep", "1");
		assertThat(going(plan)).as("k-stopped resumes as an incremental of i1; nothing continues i2")
			.containsExactly("i2");
		assertThat(reason(plan, "i1")).isEqualTo("kept: backup k-stopped, which is kept, continues it");

		JsonNode listing = listing();
		assertThat(row(listing, "k-stopped").path("status").asString()).isEqualTo("incomplete");
		assertThat(row(listing, "k-stopped").path("base").asString()).isEqualTo("i1");
		assertThat(row(listing, "k-stopped").path("type").isNull()).isTrue();
	}

	@Test
	void backupsListsTypeBaseAndEachBackupsOwnRecords() {
		JsonNode listing = listing();
		assertThat(listing.values()).extracting(row -> row.path("backupId").asString())
			.containsExactlyElementsOf(CHAINS);
		assertThat(row(listing, "f1").path("type").asString()).isEqualTo("full");
		assertThat(row(listing, "f1").get("base").isNull()).isTrue();
		assertThat(row(listing, "f1").path("records").asLong()).isEqualTo(120);
		assertThat(row(listing, "i2").path("type").asString()).isEqualTo("incremental");
		assertThat(row(listing, "i2").path("base").asString()).isEqualTo("i1");
		assertThat(row(listing, "i2").path("records").asLong()).as("its own records, not its chain's").isEqualTo(65);
		assertThat(row(listing, "i2").path("bytes").asLong())
			.isEqualTo(new BackupStorage(this.storage).backup("i2").sizeInBytes());

		CommandRun table = run("backups");
		assertThat(table.exitCode()).as(table.toString()).isZero();
		assertThat(table.out()).containsPattern("i2 +complete +incremental +i1 ")
			.containsPattern("f2 +complete +full +- ");
	}

	@Test
	void backupsShowNamesTheBaseAndWhereEachPartitionContinuesIt() {
		CommandRun show = run("backups", "show", "i2");
		assertThat(show.exitCode()).as(show.toString()).isZero();
		assertThat(show.out()).contains("incremental backup, continues i1", "65 records in 2 partitions of 1 topics")
			.containsPattern("BASE END +GAP")
			.containsPattern("(?m)cdc\\.events +avro +0 +\\[130, 200\\) +60 .* 120 +10$")
			.containsPattern("(?m)cdc\\.events +avro +1 +\\[0, 5\\) +5 .* - +-$");

		JsonNode partitions = JSON.readTree(run("backups", "show", "i2", "--json").out());
		assertThat(partitions.get(0).path("baseEndOffset").asLong()).isEqualTo(120);
		assertThat(partitions.get(0).path("gapOffsets").asLong()).isEqualTo(10);
		assertThat(partitions.get(1).get("baseEndOffset").isNull()).isTrue();
		assertThat(partitions.get(1).get("gapOffsets").isNull()).isTrue();
	}

	private static Manifest.Topic topic(Manifest.Partition... partitions) {
		return new Manifest.Topic("cdc.events", "avro", List.of(partitions));
	}

	private static Manifest.Partition partition(int partition, long start, long end, long records,
			Manifest.PartitionBase base) {
		List<Manifest.Segment> segments = (records == 0) ? List.of()
				: List.of(new Manifest.Segment("topics/cdc.events/" + partition + "/" + String.format("%020d", start)
						+ ".jsonl.zst", records, start, end - 1, 64, "00"));
		return new Manifest.Partition(partition, start, end, records, (records == 0) ? null : start,
				(records == 0) ? null : end - 1, "digest", segments, 0L, base,
				(base != null) ? start - base.endOffset() : null);
	}

	/** What {@code prune --dry-run --json} with these rules would do. */
	private JsonNode plan(String... rules) {
		List<String> command = new ArrayList<>(List.of("prune", "--dry-run", "--json"));
		command.addAll(List.of(rules));
		CommandRun run = run(command.toArray(String[]::new));
		assertThat(run.exitCode()).as(run.toString()).isZero();
		return JSON.readTree(run.out());
	}

	private static List<String> going(JsonNode plan) {
		return plan.path("backups").values().stream().filter(b -> b.path("delete").asBoolean())
			.map(b -> b.path("backupId").asString()).toList();
	}

	private static JsonNode decision(JsonNode plan, String backupId) {
		return row(plan.path("backups"), backupId);
	}

	private static String reason(JsonNode plan, String backupId) {
		return decision(plan, backupId).path("reason").asString();
	}

	private JsonNode listing() {
		CommandRun run = run("backups", "--json");
		assertThat(run.exitCode()).as(run.toString()).isZero();
		return JSON.readTree(run.out());
	}

	private static JsonNode row(JsonNode rows, String backupId) {
		return rows.values().stream().filter(r -> r.path("backupId").asString().equals(backupId)).findFirst()
			.orElseThrow(() -> new AssertionError("no " + backupId + " in " + rows));
	}

	private CommandRun run(String... command) {
		return CommandRun.of(List.of("--kafka-dr.storage.location=" + this.storage), command);
	}

}
