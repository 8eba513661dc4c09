package io.kafkadr.history;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.step.StepExecution;

/**
 * One job execution in detail, as {@code history show} reports it: the summary that
 * {@code history} lists, the job parameters, and every partition this execution ran,
 * in the order they were created. Partitions that an earlier execution of the same job instance
 * completed are not run again and appear in that execution. The stable JSON shape of
 * {@code history show --json}.
 */
public record ExecutionDetails(ExecutionSummary execution, Map<String, String> parameters,
		List<PartitionProgress> partitions) {

	public static ExecutionDetails of(JobExecution execution) {
		Map<String, String> parameters = new TreeMap<>();
		for (JobParameter<?> parameter : execution.getJobParameters().parameters()) {
			parameters.put(parameter.name(), String.valueOf(parameter.value()));
		}
		List<PartitionProgress> partitions = execution.getStepExecutions()
			.stream()
			.filter(PartitionProgress::isPartition)
			.sorted(Comparator.comparing(StepExecution::getId, Comparator.nullsLast(Comparator.naturalOrder())))
			.map(PartitionProgress::of)
			.toList();
		return new ExecutionDetails(ExecutionSummary.of(execution), parameters, partitions);
	}

}
