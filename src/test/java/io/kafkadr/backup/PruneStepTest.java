package io.kafkadr.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.kafkadr.archive.BackupStorage;
import io.kafkadr.sandbox.KafkaSandbox;
import io.kafkadr.storage.StorageLock;
import io.kafkadr.testing.BulkData;
import io.kafkadr.testing.CommandRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backup job's {@code prune} step, on real backups of a real broker: it does nothing unless
 * {@code kafka-dr.backup.prune.*} is set, then deletes what the rules do not keep, never the
 * backup it has just sealed, nor one that a kept incremental backup continues, and nothing while a
 * restore holds the storage location.
 */
@Tag("integration")
class PruneStepTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static KafkaSandbox kafka;

	@TempDir
	Path storage;

	@BeforeAll
	static void seed() {
		kafka = KafkaSandbox.shared();
		BulkData.raw(kafka.bootstrapServers(), "connect-status", 1, 50);
	}

	@Test
	void prunesAfterSealingWhenARuleIsSet() {
		backup("b1", "--full");
		backup("b2", "--full");
		assertThat(backups()).as("without kafka-dr.backup.prune.* the step deletes nothing").containsExactly("b1", "b2");
		assertThat(pruneStep("b2").path("status").asString()).isEqualTo("COMPLETED");
		assertThat(pruneStep("b2").path("writeCount").asLong()).isZero();

		backup("b3", "--full", "--kafka-dr.backup.prune.keep=2");
		assertThat(backups()).containsExactly("b2", "b3");
		assertThat(pruneStep("b3").path("writeCount").asLong()).isEqualTo(1);

		backup("b4", "--full", "--kafka-dr.backup.prune.older-than=1ms");
		assertThat(backups()).as("everything older than 1ms goes but the backup just sealed").containsExactly("b4");
	}

	@Test
	void prunesNothingWhileARestoreHoldsTheLocation() {
		backup("b1", "--full");
		try (StorageLock restore = new BackupStorage(this.storage).lock("restore")) {
			backup("b2", "--full", "--kafka-dr.backup.prune.keep=1");
		}
		assertThat(backups()).containsExactly("b1", "b2");
		assertThat(pruneStep("b2").path("status").asString()).isEqualTo("COMPLETED");

		backup("b3", "--full", "--kafka-dr.backup.prune.keep=1");
		assertThat(backups()).containsExactly("b3");
	}

	@Test
	void keepsEveryBackupAKeptIncrementalContinues() {
		backup("b1", "--full");
		backup("b2", "--incremental");
		backup("b3", "--incremental", "--kafka-dr.backup.prune.keep=1");
		assertThat(backups()).as("b3 is kept, and it is restored with b2 and b1").containsExactly("b1", "b2", "b3");
		assertThat(pruneStep("b3").path("writeCount").asLong()).isZero();

		backup("b4", "--full", "--kafka-dr.backup.prune.keep=1");
		assertThat(backups()).as("the whole chain goes once nothing kept continues it").containsExactly("b4");
		assertThat(pruneStep("b4").path("writeCount").asLong()).isEqualTo(3);
	}

	/** Takes a backup of the type given ({@code --full} or {@code --incremental}), with these settings. */
	private void backup(String id, String type, String... prune) {
		List<String> properties = new ArrayList<>(List.of(prune));
		properties.addAll(List.of("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
				"--kafka-dr.storage.location=" + this.storage, "--kafka-dr.topics.raw=connect-status"));
		CommandRun run = CommandRun.of(properties, "backup", "--backup-id", id, type);
		assertThat(run.exitCode()).as(run.toString()).isZero();
	}

	/** The prune step of the backup's execution, as {@code history --json} shows it. */
	private JsonNode pruneStep(String backupId) {
		CommandRun history = CommandRun.of(List.of("--kafka-dr.storage.location=" + this.storage), "history", "--job",
				"backup", "--json");
		for (JsonNode execution : JSON.readTree(history.out()).values()) {
			if (backupId.equals(execution.path("backupId").asString())) {
				for (JsonNode step : execution.path("steps").values()) {
					if (step.path("name").asString().equals("prune")) {
						return step;
					}
				}
			}
		}
		throw new AssertionError("no prune step for " + backupId + " in\n" + history);
	}

	private List<String> backups() {
		try (Stream<Path> children = Files.list(this.storage)) {
			return children.map(path -> path.getFileName().toString()).filter(name -> !name.startsWith(".")).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
