package io.kafkadr.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.backup.BackupJobConfiguration;
import io.kafkadr.history.ExecutionSummary;
import io.kafkadr.history.JobHistory;
import io.kafkadr.storage.StorageException;
import org.springframework.beans.factory.annotation.Autowired;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backups}: the backups in the storage location, complete or not. */
@Command(name = "backups", mixinStandardHelpOptions = true, subcommands = BackupsShowCommand.class,
		description = { "List the backups in the storage location: complete and incomplete, full or incremental (and",
				"the backup each incremental continues), size, records, age.",
				"`backups show ID` shows what one backup holds, partition by partition." })
class BackupsCommand implements Callable<Integer> {

	@Mixin
	SettingOptions settings;

	@Option(names = "--json", description = "Print JSON for scripts.")
	boolean json;

	@Spec
	CommandSpec spec;

	@Autowired
	BackupStorage storage;

	@Autowired
	JobHistory history;

	/**
	 * One backup as listed; {@code type}, {@code records} and {@code completedAt} are null for an
	 * incomplete or a damaged backup (status {@code damaged}: its manifest cannot be read, and
	 * {@code lastRun} says why). {@code type} is {@code full} or {@code incremental}; {@code base} is
	 * the backup an incremental continues (for an incomplete one, the base it began with, once known).
	 * {@code bytes} and {@code records} are the backup's own, not its chain's.
	 */
	record Row(String backupId, String status, String type, String base, long bytes, Long records, Integer topics,
			Integer partitions, Instant completedAt, Long ageSeconds, String lastRun) {
	}

	@Override
	public Integer call() {
		List<Row> rows = new ArrayList<>();
		for (BackupDirectory backup : this.storage.backups()) {
			rows.add(row(backup));
		}
		Output output = new Output(this.spec.commandLine().getOut());
		if (this.json) {
			output.json(rows);
			return ExitCodes.OK;
		}
		if (rows.isEmpty()) {
			output.line("No backups in " + this.storage.location());
			return ExitCodes.OK;
		}
		output.line(String.format("%-28s %-11s %-11s %-28s %12s %14s %8s  %s", "BACKUP", "STATUS", "TYPE", "BASE",
				"SIZE", "RECORDS", "AGE", "NOTE"));
		for (Row row : rows) {
			output.line(String.format("%-28s %-11s %-11s %-28s %12s %14s %8s  %s", row.backupId(), row.status(),
					Output.orDash(row.type()), Output.orDash(row.base()), Output.bytes(row.bytes()),
					(row.records() != null) ? String.format("%,d", row.records()) : "-",
					(row.ageSeconds() != null) ? age(row.ageSeconds()) : "-", (row.lastRun() != null) ? row.lastRun() : ""));
		}
		return ExitCodes.OK;
	}

	private Row row(BackupDirectory backup) {
		if (backup.isComplete()) {
			Manifest manifest;
			try {
				manifest = backup.manifest();
			}
			catch (StorageException ex) {
				return new Row(backup.id(), "damaged", null, null, backup.sizeInBytes(), null, null, null, null, null,
						ex.getMessage());
			}
			return new Row(backup.id(), "complete", manifest.type(),
					manifest.incremental() ? manifest.base().backupId() : null, backup.sizeInBytes(),
					manifest.totals().records(), manifest.totals().topics(), manifest.totals().partitions(),
					manifest.completedAt(), Duration.between(manifest.completedAt(), Instant.now()).toSeconds(), null);
		}
		Optional<ExecutionSummary> last = this.history.lastExecution(BackupJobConfiguration.JOB_NAME, backup.id());
		String base = backup.topicsBase();
		if (base == null) {
			// Before its topics step has run, only the job's parameters name the base it will continue.
			base = last.map(ExecutionSummary::base).orElse(null);
		}
		return new Row(backup.id(), "incomplete", null, base, backup.sizeInBytes(), null, null, null, null, null,
				last.map(BackupsCommand::describe).orElse("unknown to the job repository"));
	}

	private static String describe(ExecutionSummary execution) {
		return "last run " + execution.status() + " at " + Output.time(execution.endTime() != null ? execution.endTime()
				: execution.startTime()) + "; run `kafka-dr backup --backup-id " + execution.backupId() + "` to resume";
	}

	static String age(long seconds) {
		if (seconds < 120) {
			return seconds + "s";
		}
		if (seconds < 7200) {
			return (seconds / 60) + "m";
		}
		if (seconds < 172800) {
			return (seconds / 3600) + "h";
		}
		return (seconds / 86400) + "d";
	}

}
