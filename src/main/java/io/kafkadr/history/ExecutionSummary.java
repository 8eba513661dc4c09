package io.kafkadr.history;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.kafkadr.execution.FailedStepExitStatus;
import io.kafkadr.execution.JobKeys;
import io.kafkadr.execution.PartitionContext;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * One job execution as {@code history} and the job commands report it: status, times, failure,
 * and per step the read/write counts. Partition steps are folded into their step, which already
 * carries their summed counts. A backup's {@code type} is {@code full} or {@code incremental}, and
 * {@code base} names the backup an incremental continues (both null for other jobs). This is the
 * stable JSON shape of {@code --json}.
 */
public record ExecutionSummary(String job, String backupId, String type, String base, long instanceId,
		long executionId, String status,
		String exitCode, LocalDateTime startTime, LocalDateTime endTime, Long durationMillis, String failure,
		List<Step> steps) {

	/** One step; {@code partitions} counts its partitions (0 for a step that is not partitioned). */
	public record Step(String name, String status, long readCount, long writeCount, long commitCount,
			long rollbackCount, LocalDateTime startTime, LocalDateTime endTime, String failure, int partitions,
			int partitionsCompleted, List<String> partitionsFailed) {
	}

	public static ExecutionSummary of(JobExecution execution) {
		List<StepExecution> all = new ArrayList<>(execution.getStepExecutions());
		all.sort(Comparator.comparing(StepExecution::getId, Comparator.nullsLast(Comparator.naturalOrder())));
		List<Step> steps = new ArrayList<>();
		for (StepExecution step : all) {
			if (PartitionProgress.isPartition(step)) {
				continue;
			}
			List<StepExecution> partitions = all.stream()
				.filter(p -> PartitionContext.isPartitionOf(p.getStepName(), step.getStepName()))
				.toList();
			List<String> failed = partitions.stream()
				.filter(p -> p.getStatus().isUnsuccessful())
				.map(p -> PartitionContext.partitionName(p.getStepName()))
				.toList();
			steps.add(new Step(step.getStepName(), step.getStatus().name(), step.getReadCount(), step.getWriteCount(),
					step.getCommitCount(), step.getRollbackCount(), step.getStartTime(), step.getEndTime(),
					FailureMessage.from(FailedStepExitStatus.rootCause(step, all)), partitions.size(),
					(int) partitions.stream().filter(p -> p.getStatus().name().equals("COMPLETED")).count(), failed));
		}
		Long duration = (execution.getStartTime() != null && execution.getEndTime() != null)
				? Duration.between(execution.getStartTime(), execution.getEndTime()).toMillis() : null;
		String base = execution.getJobParameters().getString(JobKeys.BACKUP_BASE);
		String type = !JobKeys.BACKUP_JOB.equals(execution.getJobInstance().getJobName()) ? null
				: (base != null) ? "incremental" : "full";
		return new ExecutionSummary(execution.getJobInstance().getJobName(), backupId(execution), type, base,
				execution.getJobInstance().getInstanceId(), execution.getId(), execution.getStatus().name(),
				execution.getExitStatus().getExitCode(), execution.getStartTime(), execution.getEndTime(), duration,
				FailureMessage.from(execution.getExitStatus().getExitDescription()), steps);
	}

	private static String backupId(JobExecution execution) {
		return execution.getJobParameters().getString(JobKeys.BACKUP_ID);
	}

}
