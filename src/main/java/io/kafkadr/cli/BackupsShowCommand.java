package io.kafkadr.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import org.springframework.beans.factory.annotation.Autowired;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code backups show ID}: what one complete backup holds, topic by topic and partition by partition. */
@Command(name = "show", mixinStandardHelpOptions = true,
		description = { "Show what a backup holds: per topic and partition the offset range read, records, records",
				"kept undecoded, segments and their size (for an incremental backup also where each partition",
				"continues its base, and the offsets lost between); and the backup's type, base, source and totals." })
class BackupsShowCommand implements Callable<Integer> {

	@Mixin
	SettingOptions settings;

	@Parameters(paramLabel = "BACKUP_ID", description = "The backup, as `backups` lists it; `latest` for the newest.")
	String backupId;

	@Option(names = "--json", description = "Print JSON for scripts.")
	boolean json;

	@Spec
	CommandSpec spec;

	@Autowired
	BackupStorage storage;

	/**
	 * One partition as shown. In an incremental backup, {@code baseEndOffset} is where the partition
	 * continues its base and {@code gapOffsets} how many offsets after it the broker deleted before
	 * this backup read them; both are null in a full backup and for a partition held whole.
	 */
	record PartitionRow(String topic, String kind, int partition, long startOffset, long endOffset, long records,
			long undecodedRecords, int segments, long bytes, Long baseEndOffset, Long gapOffsets) {
	}

	@Override
	public Integer call() {
		BackupDirectory backup = this.storage.existingBackup(this.backupId);
		if (!backup.exists()) {
			throw new UsageException("There is no backup " + this.backupId + " in " + this.storage.location()
					+ "; `kafka-dr backups` lists the backups there.");
		}
		if (!backup.isComplete()) {
			throw new UsageException("The backup " + backup.id() + " is incomplete (no manifest yet): `kafka-dr backups`"
					+ " shows how far its last run got, and `kafka-dr backup --backup-id " + backup.id() + "` resumes it.");
		}
		Manifest manifest = backup.manifest();
		List<PartitionRow> rows = new ArrayList<>();
		for (Manifest.Topic topic : manifest.topics()) {
			for (Manifest.Partition partition : topic.partitions()) {
				rows.add(new PartitionRow(topic.name(), topic.kind(), partition.partition(), partition.startOffset(),
						partition.endOffset(), partition.records(), partition.undecoded(), partition.segments().size(),
						partition.segments().stream().mapToLong(Manifest.Segment::bytes).sum(),
						(partition.base() != null) ? partition.base().endOffset() : null,
						(partition.base() != null) ? partition.gap() : null));
			}
		}
		Output output = new Output(this.spec.commandLine().getOut());
		if (this.json) {
			output.json(rows);
			return ExitCodes.OK;
		}
		Manifest.Totals totals = manifest.totals();
		output.line("backup " + manifest.backupId() + " (format " + manifest.formatVersion() + "), completed "
				+ manifest.completedAt() + ", from cluster " + manifest.source().clusterId()
				+ ((manifest.source().registryUrl() != null) ? " and registry " + manifest.source().registryUrl() : ""));
		boolean incremental = manifest.incremental();
		output.line(incremental ? "  incremental backup, continues " + manifest.base().backupId()
				+ " (restored with its whole chain); the counts below are its own" : "  full backup");
		output.line(String.format("  %,d records in %d partitions of %d topics, %s of segments; %d schemas, %d consumer"
				+ " groups", totals.records(), totals.partitions(), totals.topics(), Output.bytes(totals.bytes()),
				totals.schemas(), totals.consumerGroups()));
		output.line(String.format("  %-40s %-5s %5s %23s %12s %10s %8s %10s", "TOPIC", "KIND", "PART", "OFFSETS",
				"RECORDS", "UNDECODED", "SEGMENTS", "SIZE")
				+ (incremental ? String.format(" %12s %10s", "BASE END", "GAP") : ""));
		for (PartitionRow row : rows) {
			output.line(String.format("  %-40s %-5s %5d %23s %,12d %,10d %8d %10s", row.topic(), row.kind(),
					row.partition(), "[" + row.startOffset() + ", " + row.endOffset() + ")", row.records(),
					row.undecodedRecords(), row.segments(), Output.bytes(row.bytes()))
					+ (incremental ? String.format(" %12s %10s", Output.orDash(row.baseEndOffset()),
							Output.orDash(row.gapOffsets())) : ""));
		}
		return ExitCodes.OK;
	}

}
