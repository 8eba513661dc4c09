package io.kafkadr.testing;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A source and a target sandbox, started at once: where the restore tests back a pipeline up and
 * restore it.
 */
public record SourceAndTarget(Sandboxes source, Sandboxes target) {

	/** Starts both, the target in the background while the source starts. */
	public static SourceAndTarget start() {
		CompletableFuture<Sandboxes> target = CompletableFuture.supplyAsync(Sandboxes::start);
		Sandboxes source = Sandboxes.start();
		return new SourceAndTarget(source, target.join());
	}

	/**
	 * Loads an Avro change topic (named {@code cdc.*}) and a raw topic into the source and backs
	 * both up into {@code storage} as {@code backupId}.
	 */
	public void backUp(Path storage, String backupId, String cdcTopic, int cdcPartitions, int cdcPerPartition,
			String rawTopic, int rawPartitions, int rawPerPartition) {
		BulkData.avro(this.source.bootstrapServers(), this.source.registryClient(), cdcTopic, cdcPartitions, cdcPerPartition);
		BulkData.raw(this.source.bootstrapServers(), rawTopic, rawPartitions, rawPerPartition);
		CommandRun backup = CommandRun.of(this.source.properties(storage, "--kafka-dr.topics.avro=cdc\\..*",
				"--kafka-dr.topics.raw=" + rawTopic), "backup", "--backup-id", backupId);
		assertThat(backup.exitCode()).as(backup.toString()).isZero();
	}

}
