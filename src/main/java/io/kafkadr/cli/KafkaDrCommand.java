package io.kafkadr.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code kafka-dr} command; it only groups the subcommands. */
@Command(name = "kafka-dr", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
		description = "Backup and disaster recovery for Kafka CDC pipelines.%n"
				+ "Spring properties go anywhere as --name=value (for example --spring.kafka.bootstrap-servers=host:9092).%n"
				+ "--debug, anywhere: print the stack trace of an unexpected failure (it is left out otherwise).",
		subcommands = { BackupCommand.class, RestoreCommand.class, BackupsCommand.class,
				VerifyCommand.class, HistoryCommand.class, PruneCommand.class, WorkerCommand.class,
				CommandLine.HelpCommand.class },
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:success", "1:a job or check failed, or a job was stopped (SIGTERM; run it again to resume)",
				"2:usage or configuration error; nothing was done",
				"3:a cluster, registry, Kafka Connect or S3 server did not answer; nothing was done, retry later" })
public class KafkaDrCommand {

}
