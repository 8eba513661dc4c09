package io.kafkadr.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.backup.BackupJobConfiguration;
import io.kafkadr.backup.BackupLauncher;
import io.kafkadr.history.ExecutionSummary;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
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

	@Option(names = "--json", description = "Print the result as JSON.")
	boolean json;

	@Spec
	CommandSpec spec;

	@Autowired
	BackupLauncher launcher;

	@Override
	public Integer call() {
		JobExecution execution = this.launcher.run(Optional.ofNullable(this.backupId));
		ExecutionSummary summary = ExecutionSummary.of(execution);
		String backupId = execution.getJobParameters().getString(BackupJobConfiguration.BACKUP_ID);
		Output output = new Output(this.spec.commandLine().getOut());
		if (this.json) {
			output.json(summary);
		}
		else {
			output.line("backup-id: " + backupId);
			output.summary(summary);
			if (execution.getStatus() == BatchStatus.COMPLETED) {
				undecoded(output, this.storage.backup(backupId).manifest());
			}
		}
		if (execution.getStatus() == BatchStatus.STOPPED) {
			output.stopped(this.json, this.spec.commandLine().getErr(), "The backup " + backupId + " stopped at a chunk"
					+ " boundary because kafka-dr was asked to end. Run the same command (or kafka-dr backup --backup-id "
					+ backupId + ") to resume it.");
		}
		return (execution.getStatus() == BatchStatus.COMPLETED) ? ExitCodes.OK : ExitCodes.FAILED;
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
