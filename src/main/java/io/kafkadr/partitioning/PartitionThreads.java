package io.kafkadr.partitioning;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.PartitionStepBuilder;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * A job's one pool of partition threads, and the partitioned steps that run on it: each splits its
 * work with a {@link Partitioner} and runs its worker step once per partition, as many at a time as
 * the pool has threads. Steps that run side by side ({@link TopicDataFlow}) queue on the same pool,
 * so the job never moves more partitions at once than its parallelism allows.
 */
public final class PartitionThreads implements AutoCloseable {

	private final ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();

	private final int size;

	public PartitionThreads(String threadNamePrefix, int size) {
		this.size = size;
		this.executor.setCorePoolSize(size);
		this.executor.setMaxPoolSize(size);
		this.executor.setThreadNamePrefix(threadNamePrefix);
		this.executor.initialize();
	}

	/**
	 * A step named {@code name} whose partitions each run {@code worker}; a restarted job finds them
	 * by the worker's name and the partition's ({@code <worker>:<partition>}).
	 */
	public PartitionStepBuilder partitioned(String name, JobRepository jobRepository, Partitioner partitioner,
			Step worker) {
		return new StepBuilder(name, jobRepository).partitioner(worker.getName(), partitioner)
			.step(worker)
			.taskExecutor(this.executor)
			.gridSize(this.size);
	}

	@Override
	public void close() {
		this.executor.shutdown();
	}

}
