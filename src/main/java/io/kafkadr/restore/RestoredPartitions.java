package io.kafkadr.restore;

import io.kafkadr.execution.PartitionContext;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * Where each restored partition starts in the target, read from that partition step's saved
 * context in the job repository (the record that survives restarts and kills).
 */
public class RestoredPartitions {

	private final JobRepository jobRepository;

	private final JobExecution job;

	public RestoredPartitions(JobRepository jobRepository, JobExecution job) {
		this.jobRepository = jobRepository;
		this.job = job;
	}

	/** The target partition's end offset before the restore wrote to it. */
	public long targetStart(RestorePlan.TopicRestore topic, int partition) {
		String stepName = topic.registryTopic() ? RestoreJobConfiguration.SCHEMAS_STEP
				: PartitionContext.partitionStepName(RestoreJobConfiguration.workerStepName(topic.kind()), topic.source(),
						partition);
		String key = topic.registryTopic() ? RegistryTopicWriter.startKey(partition) : PartitionContext.TARGET_START;
		StepExecution step = this.jobRepository.getLastStepExecution(this.job.getJobInstance(), stepName);
		if (step == null || !step.getExecutionContext().containsKey(key)) {
			throw new IllegalStateException("The step " + stepName + " never wrote " + topic.target() + "-" + partition
					+ "; restore the topics first");
		}
		return step.getExecutionContext().getLong(key);
	}

}
