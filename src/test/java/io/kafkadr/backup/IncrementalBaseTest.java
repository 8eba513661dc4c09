package io.kafkadr.backup;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.TopicSnapshot;
import io.kafkadr.testing.LocalFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When a new backup continues the newest one, and why it is full otherwise. */
class IncrementalBaseTest {

	private static final TopicSnapshot.Selection SELECTION = new TopicSnapshot.Selection(List.of("cdc\\..*"),
			List.of("connect-offsets"), Map.of());

	private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

	@TempDir
	Path location;

	@Test
	void theNewestCompleteBackupOfTheSameClusterAndSelectionIsContinued() {
		backup("a", null, NOW.minus(Duration.ofHours(2)), "cluster", SELECTION);
		backup("b", "a", NOW.minus(Duration.ofHours(1)), "cluster", SELECTION);
		LocalFiles.of(storage().backup("c"), "").toFile().mkdirs();
		IncrementalBase.Choice choice = choose(IncrementalBase.Request.AUTOMATIC, SELECTION);
		assertThat(choice.base().id()).isEqualTo("b");
	}

	@Test
	void aFullBackupIsTakenWhenAskedOrWhenNothingCanBeContinued() {
		assertThat(choose(IncrementalBase.Request.AUTOMATIC, SELECTION).whyFull()).contains("holds no complete backup");
		backup("a", null, NOW.minus(Duration.ofHours(1)), "cluster", SELECTION);
		assertThat(choose(IncrementalBase.Request.FULL, SELECTION).whyFull()).isEqualTo("--full was given");
		TopicSnapshot.Selection other = new TopicSnapshot.Selection(List.of("cdc\\..*"), List.of(), Map.of());
		assertThat(choose(IncrementalBase.Request.AUTOMATIC, other).whyFull()).contains("another topic selection");
		backup("b", null, NOW.minus(Duration.ofMinutes(30)), "elsewhere", SELECTION);
		assertThat(choose(IncrementalBase.Request.AUTOMATIC, SELECTION).whyFull()).contains("from another cluster");
	}

	@Test
	void aFullBackupIsDueOnceTheChainsFullBackupIsFullEveryOld() {
		backup("a", null, NOW.minus(Duration.ofDays(8)), "cluster", SELECTION);
		backup("b", "a", NOW.minus(Duration.ofHours(1)), "cluster", SELECTION);
		assertThat(choose(IncrementalBase.Request.AUTOMATIC, SELECTION).whyFull())
			.contains("the newest full backup, a, completed 8d ago", "full-every is 7d");
		// Asked for explicitly, an incremental continues the chain however old its full backup is.
		assertThat(choose(IncrementalBase.Request.INCREMENTAL, SELECTION).base().id()).isEqualTo("b");
	}

	@Test
	void incrementalIsRefusedWithTheReasonWhenNothingCanBeContinued() {
		backup("a", null, NOW.minus(Duration.ofHours(1)), "cluster", SELECTION);
		backup("b", "a", NOW.minus(Duration.ofMinutes(30)), "cluster", SELECTION);
		storage().delete(storage().backup("a"));
		assertThatThrownBy(() -> choose(IncrementalBase.Request.INCREMENTAL, SELECTION))
			.isInstanceOf(BackupRefusedException.class)
			.hasMessageContaining("--incremental: there is no backup to continue")
			.hasMessageContaining("continues a, which is gone from the storage location");
	}

	private IncrementalBase.Choice choose(IncrementalBase.Request request, TopicSnapshot.Selection selection) {
		return IncrementalBase.choose(request, storage(), selection, "cluster", Duration.ofDays(7), NOW);
	}

	private BackupStorage storage() {
		return new BackupStorage(this.location);
	}

	private void backup(String id, String baseId, Instant completed, String cluster, TopicSnapshot.Selection selection) {
		BackupDirectory backup = storage().backup(id);
		Manifest.Base base = (baseId != null) ? new Manifest.Base(baseId,
				storage().backup(baseId).sha256(BackupDirectory.MANIFEST), List.of(), List.of()) : null;
		backup.write(BackupDirectory.TOPICS,
				new TopicSnapshot(completed, cluster, List.of()).with(selection, base, List.of()));
		backup.write(BackupDirectory.MANIFEST,
				new Manifest(Manifest.FORMAT, Manifest.version(base != null, false), id,
						"test", completed.minusSeconds(60), completed, base, null, new Manifest.Source("broker:9092", cluster, null),
						new Manifest.Totals(0, 0, 0, 0, 0, 0), List.of(), List.of()));
	}

}
