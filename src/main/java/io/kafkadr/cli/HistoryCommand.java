package io.kafkadr.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.kafkadr.history.ExecutionSummary;
import io.kafkadr.history.JobHistory;
import io.kafkadr.restore.RestoreJobConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code history}: the job executions in the job repository, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true,
		description = "Show job executions: status, start, end, per-step read/write counts and failures.")
class HistoryCommand implements Callable<Integer> {

	@Option(names = "--limit", defaultValue = "20", description = "How many executions to show (default ${DEFAULT-VALUE}).")
	int limit;

	@Option(names = "--json", description = "Print JSON for scripts.")
	boolean json;

	@Spec
	CommandSpec spec;

	@Autowired
	JobHistory history;

	@Override
	public Integer call() {
		List<ExecutionSummary> executions = this.history.executions(this.limit);
		Output output = new Output(this.spec.commandLine().getOut());
		if (this.json) {
			output.json(executions);
			return ExitCodes.OK;
		}
		if (executions.isEmpty()) {
			output.line("No job executions yet.");
		}
		for (ExecutionSummary execution : executions) {
			output.line(label(execution));
			output.summary(execution);
			output.line("");
		}
		return ExitCodes.OK;
	}

	private static String label(ExecutionSummary execution) {
		if (execution.backupId() == null) {
			return execution.job();
		}
		return (execution.job().equals(RestoreJobConfiguration.JOB_NAME) ? "restore of backup " : "backup ")
				+ execution.backupId();
	}

}
