package io.kafkadr.execution;

import java.util.Collection;
import java.util.Comparator;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Gives a job that did not complete the exit description of the step that ended it. A job of steps
 * in sequence does that itself; a job whose steps run side by side (a flow) records only the name
 * of its end state, which would leave {@code history} and the command's output without the reason.
 */
public final class FailedStepExitStatus implements JobExecutionListener {

	@Override
	public void afterJob(JobExecution job) {
		if (job.getStatus() == BatchStatus.COMPLETED || !job.getExitStatus().getExitDescription().isEmpty()) {
			return;
		}
		// The job's own steps, not their partitions (named step:partition): a failed partition fails its step,
		// whose description says which.
		job.getStepExecutions()
			.stream()
			.filter(step -> !step.getStepName().contains(":"))
			.filter(step -> step.getStatus().isUnsuccessful() || step.getStatus() == BatchStatus.STOPPED)
			.max(Comparator.comparing(StepExecution::getId))
			.ifPresent(step -> job
				.setExitStatus(job.getExitStatus().addExitDescription(rootCause(step, job.getStepExecutions()))));
	}

	/**
	 * What made a step fail: its own exit description, except for a partitioned step, whose
	 * description only says that a partition failed; then the first failed partition's, named.
	 */
	public static String rootCause(StepExecution step, Collection<StepExecution> jobSteps) {
		return jobSteps.stream()
			.filter(partition -> PartitionContext.isPartitionOf(partition.getStepName(), step.getStepName())
					&& partition.getStatus().isUnsuccessful())
			.filter(partition -> !partition.getExitStatus().getExitDescription().isEmpty())
			.min(Comparator.comparing(StepExecution::getId, Comparator.nullsLast(Comparator.naturalOrder())))
			.map(partition -> "Partition " + PartitionContext.partitionName(partition.getStepName()) + " failed\n"
					+ partition.getExitStatus().getExitDescription())
			.orElse(step.getExitStatus().getExitDescription());
	}

}
