package io.kafkadr.restore;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import io.kafkadr.archive.Manifest;
import io.kafkadr.execution.PartitionContext;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * What the {@code verification} step counted in the backup, read from its partitions' saved
 * contexts in the job repository: per topic, the records the restore writes and, of those, the ones
 * older than the topic's retention; and how many carry Apicurio ids.
 */
class VerifiedPartitions {

	private final JobRepository jobRepository;

	private final JobInstance instance;

	private final RestorePlan plan;

	private final Map<String, ExecutionContext> contexts = new HashMap<>();

	VerifiedPartitions(JobRepository jobRepository, JobInstance instance, RestorePlan plan) {
		this.jobRepository = jobRepository;
		this.instance = instance;
		this.plan = plan;
	}

	/** The records of the topic that the restore writes. */
	long records(RestorePlan.TopicRestore topic) {
		return sum(topic, PartitionContext.VERIFIED_RECORDS);
	}

	/** Of those, the records older than the topic's retention when they were checked. */
	long older(RestorePlan.TopicRestore topic) {
		return sum(topic, PartitionContext.VERIFIED_OLDER);
	}

	/** The records the restore writes that carry Apicurio global or content ids. */
	long apicurioIds() {
		return this.plan.topics().stream().mapToLong(topic -> sum(topic, PartitionContext.VERIFIED_APICURIO_IDS)).sum();
	}

	/**
	 * The partitions found damaged ({@code topic-partition} to what is wrong), which a restore with
	 * {@code --skip-damaged} leaves out; empty otherwise, since a damaged partition fails then.
	 */
	Map<String, String> damaged() {
		Map<String, String> damaged = new TreeMap<>();
		for (RestorePlan.TopicRestore topic : this.plan.topics()) {
			for (Manifest.Partition partition : topic.partitions()) {
				ExecutionContext context = this.contexts.computeIfAbsent(PartitionContext.partitionStepName(
						RestoreJobConfiguration.VERIFICATION_WORKER, topic.source(), partition.partition()),
						this::savedContext);
				if (context.containsKey(PartitionContext.DAMAGED)) {
					damaged.put(PartitionContext.partitionName(topic.source(), partition.partition()),
							context.getString(PartitionContext.DAMAGED));
				}
			}
		}
		return damaged;
	}

	/** The plan without the damaged partitions: what the restore writes. */
	RestorePlan intact() {
		return this.plan.without(damaged().keySet());
	}

	private long sum(RestorePlan.TopicRestore topic, String key) {
		long sum = 0;
		for (Manifest.Partition partition : topic.partitions()) {
			String stepName = PartitionContext.partitionStepName(RestoreJobConfiguration.VERIFICATION_WORKER,
					topic.source(), partition.partition());
			sum += PartitionContext.count(this.contexts.computeIfAbsent(stepName, this::savedContext), key);
		}
		return sum;
	}

	/** Read once per partition: the preview asks for several counts of each. */
	private ExecutionContext savedContext(String stepName) {
		StepExecution step = this.jobRepository.getLastStepExecution(this.instance, stepName);
		if (step == null) {
			throw new IllegalStateException("The step " + stepName + " never ran; verify the backup first");
		}
		return step.getExecutionContext();
	}

}
