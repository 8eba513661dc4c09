package io.kafkadr.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.kafkadr.history.ExecutionDetails;
import io.kafkadr.history.JobHistory;
import io.kafkadr.history.PartitionProgress;
import org.springframework.beans.factory.annotation.Autowired;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code history show ID}: one job execution with its steps and the progress of every partition. */
@Command(name = "show", mixinStandardHelpOptions = true,
		description = { "Show one job execution: its steps, and per partition its status, counts and offsets",
				"(backup: the offset range and the offset reached; restore: the target and its start offset)." })
class HistoryShowCommand implements Callable<Integer> {

	@Mixin
	SettingOptions settings;

	@Parameters(paramLabel = "EXECUTION_ID", description = "The execution, as `history` lists it.")
	long executionId;

	@Option(names = "--json", description = "Print JSON for scripts.")
	boolean json;

	@Spec
	CommandSpec spec;

	@Autowired
	JobHistory history;

	@Override
	public Integer call() {
		ExecutionDetails details = this.history.details(this.executionId)
			.orElseThrow(() -> new UsageException("There is no job execution " + this.executionId
					+ " in the job repository; `kafka-dr history` lists the executions."));
		Output output = new Output(this.spec.commandLine().getOut());
		if (this.json) {
			output.json(details);
			return ExitCodes.OK;
		}
		output.line(HistoryCommand.label(details.execution()));
		output.line("  parameters: " + details.parameters()
			.entrySet()
			.stream()
			.map(Map.Entry::toString)
			.collect(Collectors.joining(", ")));
		output.summary(details.execution());
		if (!details.partitions().isEmpty()) {
			output.line(String.format("  %-16s %-32s %-10s %12s %12s  %s", "STEP", "PARTITION", "STATUS", "READ", "WRITTEN",
					"PROGRESS"));
			details.partitions().forEach(partition -> output.line(row(partition)));
		}
		return ExitCodes.OK;
	}

	private static String row(PartitionProgress partition) {
		return String.format("  %-16s %-32s %-10s %,12d %,12d  %s", partition.step(), partition.name(), partition.status(),
				partition.readCount(), partition.writeCount(), progress(partition))
				+ ((partition.failure() != null) ? "\n      failure: " + partition.failure() : "");
	}

	private static String progress(PartitionProgress partition) {
		if (partition.backup() != null) {
			PartitionProgress.BackupRange range = partition.backup();
			String reached = (range.position() != null) ? String.format("%,d", range.position()) : "not yet";
			String gap = (range.gapOffsets() != null && range.gapOffsets() > 0)
					? String.format("; gap: %,d offsets deleted before it could read them", range.gapOffsets()) : "";
			String undecoded = (range.undecodedRecords() != null && range.undecodedRecords() > 0)
					? String.format("; %,d records kept undecoded", range.undecodedRecords()) : "";
			return String.format("offsets [%,d, %,d) read up to %s%s%s", range.start(), range.end(), reached, gap,
					undecoded);
		}
		if (partition.restore() != null) {
			PartitionProgress.RestoreTarget target = partition.restore();
			if (target.targetStart() == null) {
				return String.format("the backup of %s-%d, for %s", target.source(), target.partition(), target.target());
			}
			return String.format("into %s-%d after its offset %,d", target.target(), target.partition(),
					target.targetStart());
		}
		return "";
	}

}
