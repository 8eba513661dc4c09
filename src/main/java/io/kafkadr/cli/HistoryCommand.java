package io.kafkadr.cli;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.kafkadr.backup.BackupJobConfiguration;
import io.kafkadr.history.ExecutionSummary;
import io.kafkadr.history.JobHistory;
import io.kafkadr.restore.RestoreJobConfiguration;
import org.springframework.batch.core.BatchStatus;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code history}: the job executions in the job repository, newest first, optionally filtered. */
@Command(name = "history", mixinStandardHelpOptions = true, subcommands = HistoryShowCommand.class,
		description = { "Show job executions: status, start, end, per-step read/write counts and failures.",
				"`history show ID` shows one execution with the progress of every partition." })
class HistoryCommand implements Callable<Integer> {

	@Mixin
	SettingOptions settings;

	@Option(names = "--limit", defaultValue = "20", description = "How many executions to show (default ${DEFAULT-VALUE}).")
	int limit;

	@Option(names = "--job", paramLabel = "backup|restore", description = "Only executions of this job.")
	Job job;

	@Option(names = "--status", paramLabel = "STATUS",
			description = "Only executions that ended (or are) in this status: COMPLETED, FAILED, STOPPED, STARTED, ...")
	String status;

	@Option(names = "--since", paramLabel = "DURATION",
			description = "Only executions started within this long before now, e.g. 7d, 12h, 30m.")
	String since;

	@Option(names = "--json", description = "Print JSON for scripts.")
	boolean json;

	@Spec
	CommandSpec spec;

	@Autowired
	JobHistory history;

	/** The jobs by the names users know them by. */
	enum Job {

		backup(BackupJobConfiguration.JOB_NAME), restore(RestoreJobConfiguration.JOB_NAME);

		private final String jobName;

		Job(String jobName) {
			this.jobName = jobName;
		}

	}

	@Override
	public Integer call() {
		JobHistory.Filter filter = new JobHistory.Filter((this.job != null) ? this.job.jobName : null, status(), since());
		List<ExecutionSummary> executions = this.history.executions(filter, this.limit);
		Output output = new Output(this.spec.commandLine().getOut());
		if (this.json) {
			output.json(executions);
			return ExitCodes.OK;
		}
		if (executions.isEmpty()) {
			output.line(filter.equals(JobHistory.Filter.ALL) ? "No job executions yet." : "No job executions match.");
		}
		for (ExecutionSummary execution : executions) {
			output.line(label(execution));
			output.summary(execution);
			output.line("");
		}
		return ExitCodes.OK;
	}

	private BatchStatus status() {
		if (this.status == null) {
			return null;
		}
		try {
			return BatchStatus.valueOf(this.status.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException("--status " + this.status + " is not a job status; use one of "
					+ Arrays.toString(BatchStatus.values()) + ".");
		}
	}

	private LocalDateTime since() {
		if (this.since == null) {
			return null;
		}
		Duration back;
		try {
			back = DurationStyle.detectAndParse(this.since);
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException("--since " + this.since + " is not a duration; use for example 7d, 12h or 30m.");
		}
		if (back.isNegative()) {
			throw new UsageException("--since " + this.since + " is negative; give how far back to look, e.g. 7d.");
		}
		return LocalDateTime.now().minus(back);
	}

	static String label(ExecutionSummary execution) {
		if (execution.backupId() == null) {
			return execution.job();
		}
		if (execution.job().equals(RestoreJobConfiguration.JOB_NAME)) {
			return "restore of backup " + execution.backupId();
		}
		return execution.type() + " backup " + execution.backupId()
				+ ((execution.base() != null) ? " (continues " + execution.base() + ")" : "");
	}

}
