package io.kafkadr.partitioning;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.kafkadr.progress.PartitionTransfer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.StepLocator;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.dao.OptimisticLockingFailureException;

/**
 * The worker side of remote partitioning ({@code kafka-dr worker}): threads that each take a
 * partition request off the queue with its lock, run the partition's step with Spring Batch's
 * {@link StepExecutionRequestHandler} (which resumes a partition from its last committed chunk, as
 * a restart does), and take the next. A worker that is killed leaves its partitions to the
 * manager, which hands them to another worker.
 */
public final class PartitionWorker {

	private static final Logger log = LoggerFactory.getLogger(PartitionWorker.class);

	/** How long an idle thread waits before it looks at the queue again. */
	private static final long IDLE_POLL_MILLIS = 1000;

	private final WorkRequests requests;

	private final JobRepository jobRepository;

	private final Map<String, JobPartitions> jobs;

	private final AtomicInteger running = new AtomicInteger();

	private final AtomicLong lastActive = new AtomicLong(System.nanoTime());

	private final AtomicInteger completed = new AtomicInteger();

	private volatile boolean stopping;

	public PartitionWorker(WorkRequests requests, JobRepository jobRepository, Collection<JobPartitions> jobs) {
		this.requests = requests;
		this.jobRepository = jobRepository;
		this.jobs = jobs.stream().collect(Collectors.toMap(JobPartitions::jobName, Function.identity()));
	}

	/**
	 * Serves partitions on {@code threads} threads until interrupted, or, with {@code untilDone}, until
	 * it has been idle for {@code idleTimeout} while no request waits and no backup or restore runs.
	 * @return how many partitions it ran to completion
	 */
	public int serve(int threads, boolean untilDone, Duration idleTimeout) throws InterruptedException {
		log.info("Worker serving {} partitions at a time of {}{}", threads, this.jobs.keySet(),
				untilDone ? ", until no backup or restore is left to serve" : "");
		List<Thread> workers = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			workers.add(Thread.ofPlatform().name("worker-" + i).start(this::takeRequests));
		}
		try {
			while (!untilDone || !done(idleTimeout)) {
				Thread.sleep(IDLE_POLL_MILLIS);
			}
		}
		finally {
			this.stopping = true;
			for (Thread worker : workers) {
				worker.join();
			}
		}
		log.info("Worker done: {} partitions completed", this.completed.get());
		return this.completed.get();
	}

	private boolean done(Duration idleTimeout) {
		if (this.running.get() > 0 || System.nanoTime() - this.lastActive.get() < idleTimeout.toNanos()) {
			return false;
		}
		try {
			return this.requests.pending() == 0 && this.jobs.keySet()
				.stream()
				.allMatch(job -> this.jobRepository.findRunningJobExecutions(job).isEmpty());
		}
		catch (RuntimeException ex) {
			// a job repository that does not answer right now tells nothing about whether work is left
			log.warn("Could not tell whether work is left, asking again: {}", ex.getMessage());
			return false;
		}
	}

	private void takeRequests() {
		while (!this.stopping) {
			Optional<ClaimedPartition> claim;
			try {
				claim = this.requests.claim(this.jobRepository);
			}
			catch (RuntimeException ex) {
				log.warn("Could not take a partition request, trying again: {}", ex.getMessage());
				claim = Optional.empty();
			}
			if (claim.isEmpty()) {
				try {
					Thread.sleep(IDLE_POLL_MILLIS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				continue;
			}
			this.running.incrementAndGet();
			try (ClaimedPartition partition = claim.get()) {
				run(partition.request());
			}
			catch (RuntimeException ex) {
				log.error("Partition request {} failed: {}", claim.get().request(), ex.getMessage());
			}
			finally {
				this.lastActive.set(System.nanoTime());
				this.running.decrementAndGet();
			}
		}
	}

	private void run(StepExecutionRequest request) {
		StepExecution partition = this.jobRepository.getStepExecution(request.getStepExecutionId());
		if (partition == null || !partition.getStatus().isRunning()) {
			// ended already: a request sent again, or one of an execution that a restarted manager recovered
			return;
		}
		String jobName = partition.getJobExecution().getJobInstance().getJobName();
		JobPartitions job = this.jobs.get(jobName);
		if (job == null || job.workerStep(request.getStepName()) == null) {
			throw new IllegalStateException("This worker has no step " + request.getStepName() + " of " + jobName);
		}
		long committed = PartitionTransfer.recordsCommitted(partition.getExecutionContext());
		log.info("Running {} of {} execution {}{}", partition.getStepName(), jobName, partition.getJobExecutionId(),
				(committed > 0) ? String.format(", resumed from its last committed chunk at %,d records", committed) : "");
		StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
		handler.setJobRepository(this.jobRepository);
		handler.setStepLocator(new JobSteps(job));
		StepExecution result = handler.handle(request);
		if (result.getStatus() == BatchStatus.FAILED || result.getStatus() == BatchStatus.STOPPED) {
			// the handler leaves a failure outside the step's own handling for its caller to record
			try {
				this.jobRepository.update(result);
			}
			catch (OptimisticLockingFailureException ex) {
				// the step recorded it already, or a restarted manager recovered the execution
			}
		}
		if (result.getStatus() == BatchStatus.COMPLETED) {
			this.completed.incrementAndGet();
		}
		else if (result.getStatus() == BatchStatus.UNKNOWN) {
			// Spring Batch's own error says the job "should not be restarted": it cannot know that a manager did
			log.warn("{} of {} execution {} was taken over by a restarted manager, which marked that execution failed;"
					+ " its new execution resumes the partition from its last committed chunk", result.getStepName(),
					jobName, result.getJobExecutionId());
			return;
		}
		log.info("{} of {} execution {}: {}, {} read, {} written", result.getStepName(), jobName,
				result.getJobExecutionId(), result.getStatus(), result.getReadCount(), result.getWriteCount());
	}

	/** The worker steps of one job, by name: two jobs have steps of the same name. */
	private record JobSteps(JobPartitions job) implements StepLocator {

		@Override
		public Step getStep(String stepName) {
			return this.job.workerStep(stepName);
		}

	}

}
