package io.kafkadr.partitioning;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.PartitionStepBuilder;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Where one job's partitioned steps run their partitions: on the job's one pool of partition
 * threads, as many at a time as the pool has threads (steps that run side by side,
 * {@link TopicDataFlow}, queue on the same pool), or, with {@code kafka-dr.partitioning=remote}, on
 * {@code kafka-dr worker} processes through {@link WorkRequests}. It also names the job's worker
 * steps for the workers, which find a partition's step by its job and its name.
 */
public final class JobPartitions implements AutoCloseable {

	/** How often a manager reads the job repository for partitions that ended. */
	private static final long POLL_MILLIS = 1000;

	private final String jobName;

	private final ThreadPoolTaskExecutor executor;

	private final int size;

	private final WorkRequests remote;

	private final Map<String, Step> workerSteps = new ConcurrentHashMap<>();

	private JobPartitions(String jobName, ThreadPoolTaskExecutor executor, int size, WorkRequests remote) {
		this.jobName = jobName;
		this.executor = executor;
		this.size = size;
		this.remote = remote;
	}

	/** Partitions run on a pool of {@code size} threads of this process. */
	public static JobPartitions local(String jobName, String threadNamePrefix, int size) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(size);
		executor.setMaxPoolSize(size);
		executor.setThreadNamePrefix(threadNamePrefix);
		executor.initialize();
		return new JobPartitions(jobName, executor, size, null);
	}

	/** Partitions run on workers, handed out through {@code requests}. */
	public static JobPartitions remote(String jobName, WorkRequests requests) {
		return new JobPartitions(jobName, null, 1, requests);
	}

	/** The one for the job's settings: remote when {@code kafka-dr.partitioning=remote}. */
	public static JobPartitions of(String jobName, PartitioningProperties properties, WorkRequests requests,
			String threadNamePrefix, int size) {
		return properties.remote() ? remote(jobName, requests) : local(jobName, threadNamePrefix, size);
	}

	/**
	 * A step named {@code name} whose partitions each run {@code worker}; a restarted job finds them
	 * by the worker's name and the partition's ({@code <worker>:<partition>}).
	 */
	public PartitionStepBuilder partitioned(String name, JobRepository jobRepository, Partitioner partitioner,
			Step worker) {
		this.workerSteps.put(worker.getName(), worker);
		PartitionStepBuilder builder = new StepBuilder(name, jobRepository).partitioner(worker.getName(), partitioner);
		if (this.remote != null) {
			return builder.partitionHandler(this.remote.partitionHandler(worker.getName(), jobRepository, POLL_MILLIS))
				.listener(new UnservedPartitions(this.remote, jobRepository, worker.getName()));
		}
		return builder.step(worker).taskExecutor(this.executor).gridSize(this.size);
	}

	public String jobName() {
		return this.jobName;
	}

	/** The worker step of this job with this name, or null. */
	public Step workerStep(String name) {
		return this.workerSteps.get(name);
	}

	@Override
	public void close() {
		if (this.executor != null) {
			this.executor.shutdown();
		}
	}

}
