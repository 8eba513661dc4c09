package io.kafkadr.cli;

import io.kafkadr.backup.BackupRefusedException;
import io.kafkadr.kafka.ClusterUnreachableException;
import io.kafkadr.kafka.ConnectUnavailableException;
import io.kafkadr.registry.RegistryException;
import io.kafkadr.registry.RegistryUnavailableException;
import io.kafkadr.restore.RestoreRefusedException;
import io.kafkadr.storage.StorageException;
import io.kafkadr.storage.StorageUnreachableException;
import picocli.CommandLine;

/**
 * Turns an exception from a command into its exit code: an outage (a cluster, registry, Kafka
 * Connect or object store that did not answer) is one clear paragraph and {@link ExitCodes#UNREACHABLE}; refusals
 * (configuration, storage) are one too and {@link ExitCodes#USAGE}; anything unexpected is reported
 * as a failure, in one paragraph, with its stack trace only when asked for ({@code --debug}).
 */
class CommandFailureHandler implements CommandLine.IExecutionExceptionHandler {

	private final boolean debug;

	CommandFailureHandler(boolean debug) {
		this.debug = debug;
	}

	@Override
	public int handleExecutionException(Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
		if (ex instanceof ClusterUnreachableException || ex instanceof RegistryUnavailableException
				|| ex instanceof ConnectUnavailableException || ex instanceof StorageUnreachableException) {
			commandLine.getErr().println(ex.getMessage());
			return ExitCodes.UNREACHABLE;
		}
		if (ex instanceof RestoreRefusedException refused && refused.damagedBackup()) {
			commandLine.getErr().println(ex.getMessage());
			return ExitCodes.FAILED;
		}
		if (ex instanceof BackupRefusedException || ex instanceof RestoreRefusedException || ex instanceof StorageException
				|| ex instanceof RegistryException || ex instanceof UsageException) {
			commandLine.getErr().println(ex.getMessage());
			return ExitCodes.USAGE;
		}
		commandLine.getErr().println("kafka-dr " + commandLine.getCommandName() + " failed: " + Failures.describe(ex));
		if (this.debug) {
			ex.printStackTrace(commandLine.getErr());
		}
		else {
			commandLine.getErr().println("(This was not expected: run the same command with " + KafkaDrCommandLine.DEBUG
					+ " for the stack trace, and report it.)");
		}
		return ExitCodes.FAILED;
	}

}
