package io.kafkadr.cli;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.backup.BackupJobConfiguration;
import io.kafkadr.backup.BackupLauncher;
import io.kafkadr.backup.IncrementalBase;
import io.kafkadr.history.ExecutionSummary;
import io.kafkadr.progress.LiveDisplay;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code backup}: takes a backup, or resumes an interrupted one, and prints its id. */
@Command(name = "backup", mixinStandardHelpOptions = true,
		description = { "Back up the selected topics, schemas and consumer-group offsets.",
				"Run it again after a failure or a kill and it resumes where it stopped." },
		footerHeading = "%nMain settings (--name=value, a --plan file, or environment variables; README lists all):%n",
		footer = { "  spring.kafka.bootstrap-servers   the cluster (--bootstrap-server); security: spring.kafka.*",
				"  kafka-dr.topics.avro             regular expressions of the Avro (CDC) topics, kept as readable JSON",
				"  kafka-dr.topics.raw              regular expressions of topics kept byte for byte (connect-*, _schemas)",
				"  kafka-dr.registry.url            the Schema Registry (--registry-url)",
				"  kafka-dr.storage.location        where backups go (--storage)",
				"  kafka-dr.consumer-groups         regular expressions of the groups whose offsets are kept (.*)" })
class BackupCommand implements Callable<Integer> {

	@Mixin
	SettingOptions settings;

	@Mixin
	StrictOption strict;

	@Autowired
	BackupStorage storage;

	@Option(names = "--backup-id", paramLabel = "ID",
			description = "Name of the backup. Default: resume the newest interrupted backup, else the current UTC time.")
	String backupId;

	@ArgGroup(exclusive = true)
	Type type;

	/**
	 * {@code --full} or {@code --incremental}; neither lets the storage location decide. They choose
	 * for a new backup only: a backup that resumes stays what it began as.
	 */
	static class Type {

		@Option(names = "--full", description = "Take a full backup, even when the newest one could be continued.")
		boolean full;

		@Option(names = "--incremental",
				description = "Take an incremental backup of what is new since the newest complete backup; refuse"
						+ " (exit 2) when it cannot be continued. A resumed backup stays what it began as.")
		boolean incremental;

	}

	@Option(names = "--json", description = "Print the result as JSON.")
	boolean json;

	@Spec
	CommandSpec spec;

	@Autowired
	LiveDisplay display;

	@Autowired
	BackupLauncher launcher;

	@Override
	public Integer call() {
		IncrementalBase.Request request = (this.type == null) ? IncrementalBase.Request.AUTOMATIC
				: this.type.full ? IncrementalBase.Request.FULL : IncrementalBase.Request.INCREMENTAL;
		if (this.json) {
			this.display.forScripts();
		}
		JobExecution execution;
		try {
			execution = this.launcher.run(Optional.ofNullable(this.backupId), request);
		}
		catch (RuntimeException ex) {
			if (!Failures.isDiskFull(ex)) {
				throw ex;
			}
			// The job repository shares the volume, so the job may not even have recorded the failure: say it here.
			this.spec.commandLine().getErr().println(diskFull());
			return ExitCodes.FAILED;
		}
		ExecutionSummary summary = ExecutionSummary.of(execution);
		String backupId = execution.getJobParameters().getString(BackupJobConfiguration.BACKUP_ID);
		Output output = new Output(this.spec.commandLine().getOut());
		if (this.json) {
			output.json(summary);
		}
		else {
			output.line("backup-id: " + backupId);
			output.line("type: " + summary.type() + ((summary.base() != null) ? " (continues " + summary.base() + ")" : ""));
			output.summary(summary);
			if (execution.getStatus() == BatchStatus.COMPLETED) {
				Manifest manifest = this.storage.backup(backupId).manifest();
				undecoded(output, manifest);
				chain(output, manifest);
			}
		}
		if (Failures.isDiskFull(summary.failure())) {
			this.spec.commandLine().getErr().println(diskFull());
		}
		if (execution.getStatus() == BatchStatus.STOPPED) {
			output.stopped(this.json, this.spec.commandLine().getErr(), "The backup " + backupId + " stopped at a chunk"
					+ " boundary because kafka-dr was asked to end. Run the same command (or kafka-dr backup --backup-id "
					+ backupId + ") to resume it.");
		}
		return (execution.getStatus() == BatchStatus.COMPLETED) ? ExitCodes.OK : ExitCodes.FAILED;
	}

	/** What a full disk stopped, how much of the backup is kept, and how to go on. */
	private String diskFull() {
		BackupDirectory written = this.storage.backups()
			.stream()
			.filter(backup -> !backup.isComplete())
			.max(Comparator.comparing(BackupDirectory::lastModified))
			.orElse(null);
		String volume;
		try {
			FileStore store = Files.getFileStore(this.storage.localDirectory().orElse(Path.of(".")));
			volume = Output.bytes(store.getUsableSpace()) + " free of " + Output.bytes(store.getTotalSpace());
		}
		catch (IOException ex) {
			volume = "its free space unknown (" + ex.getMessage() + ")";
		}
		return "The backup stopped: the disk holding the storage location " + this.storage.location() + " is full (No"
				+ " space left on device; " + volume + ")."
				+ ((written != null) ? " The backup " + written.id() + " had written " + Output.bytes(written.sizeInBytes())
						+ " there, which are kept." : "")
				+ " Free space on that volume (or grow it) and run the same command again: the backup resumes from its"
				+ " last committed chunk. `kafka-dr prune` deletes old backups.";
	}

	/** What an incremental backup holds whole, and what is gone since its base. */
	private static void chain(Output output, Manifest manifest) {
		if (!manifest.incremental()) {
			return;
		}
		if (!manifest.base().recreatedTopics().isEmpty()) {
			output.line("note: " + manifest.base().recreatedTopics() + " were deleted and created again since "
					+ manifest.base().backupId() + ", so this backup holds them whole; a restore of it restores them as"
					+ " they are now.");
		}
		if (!manifest.base().removedTopics().isEmpty()) {
			output.line("note: " + manifest.base().removedTopics() + " were backed up by " + manifest.base().backupId()
					+ " but are gone from the cluster or the selection; a restore of this backup leaves them out.");
		}
	}

	/** Names the partitions holding records kept undecoded, so that they are noticed before a restore. */
	private static void undecoded(Output output, Manifest manifest) {
		List<String> partitions = new ArrayList<>();
		long total = 0;
		for (Manifest.Topic topic : manifest.topics()) {
			for (Manifest.Partition partition : topic.partitions()) {
				if (partition.undecoded() > 0) {
					partitions.add(topic.name() + "-" + partition.partition() + " (" + partition.undecoded() + ")");
					total += partition.undecoded();
				}
			}
		}
		if (total > 0) {
			output.line("warning: " + total + " records have a key or value that could not be decoded, kept byte for"
					+ " byte with the reason (\"undecoded\" in their segment lines) and restored exactly: "
					+ String.join(", ", partitions) + ". --strict fails the backup instead.");
		}
	}

}
