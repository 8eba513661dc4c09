package io.kafkadr.cli;

import io.kafkadr.backup.BackupRefusedException;
import io.kafkadr.execution.JobRepositoryException;
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
 * Connect, object store or job repository database that did not answer) is one clear paragraph and
 * {@link ExitCodes#UNREACHABLE}; refusals (configuration, storage) are one too and {@link ExitCodes#USAGE};
 * anything unexpected is reported as a failure, in one paragraph, with its stack trace only when asked
 * for ({@code --debug}). kafka-dr's own exception is found under the layers that wrap it.
 */
class CommandFailureHandler implements CommandLine.IExecutionExceptionHandler {

	private final boolean debug;

	CommandFailureHandler(boolean debug) {
		this.debug = debug;
	}

	@Override
	public int handleExecutionException(Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
		Throwable own = Failures.own(ex);
		Throwable failure = (own != null) ? own : ex;
		if (failure instanceof ClusterUnreachableException || failure instanceof RegistryUnavailableException
				|| failure instanceof ConnectUnavailableException || failure instanceof StorageUnreachableException) {
			commandLine.getErr().println(failure.getMessage());
			return ExitCodes.UNREACHABLE;
		}
		if (failure instanceof JobRepositoryException) {
			commandLine.getErr().println(failure.getMessage());
			return Failures.isConnectionRefused(failure) ? ExitCodes.UNREACHABLE : ExitCodes.USAGE;
		}
		if (failure instanceof RestoreRefusedException refused && refused.damagedBackup()) {
			commandLine.getErr().println(failure.getMessage());
			return ExitCodes.FAILED;
		}
		if (failure instanceof BackupRefusedException || failure instanceof RestoreRefusedException
				|| failure instanceof StorageException || failure instanceof RegistryException
				|| failure instanceof UsageException) {
			commandLine.getErr().println(failure.getMessage());
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
