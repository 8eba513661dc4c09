package io.kafkadr.partitioning;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

	/**
	 * How often the locks' connections are checked: well within the two checks, 5 s apart, after
	 * which a manager hands a partition whose lock is free to another worker.
	 */
	private static final long LOCK_CHECK_MILLIS = 2000;

	/** The exit code of a worker that lost a lock: like a job repository that could not be reached, retry later. */
	private static final int LOST_LOCK_EXIT = 3;

	private final WorkRequests requests;

	private final JobRepository jobRepository;

	private final Map<String, JobPartitions> jobs;

	private final AtomicInteger running = new AtomicInteger();

	/** The partitions this worker runs now, whose locks it watches. */
	private final Set<ClaimedPartition> claims = ConcurrentHashMap.newKeySet();

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
		log.info("Worker serving {} partitions at a time of {} from {}{}", threads, this.jobs.keySet(),
				this.requests.queue(), untilDone ? ", until no backup or restore is left to serve" : "");
		List<Thread> workers = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			workers.add(Thread.ofPlatform().name("worker-" + i).start(this::takeRequests));
		}
		ScheduledExecutorService lockChecks = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("lock-checks").daemon().factory());
		lockChecks.scheduleWithFixedDelay(this::checkLocks, LOCK_CHECK_MILLIS, LOCK_CHECK_MILLIS, TimeUnit.MILLISECONDS);
		try {
			while (!untilDone || !done(idleTimeout)) {
				Thread.sleep(IDLE_POLL_MILLIS);
			}
		}
		finally {
			lockChecks.shutdownNow();
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

	/**
	 * Ends the process at once when a lock's connection no longer answers: the manager is about to
	 * give that partition to another worker, and two must never write it at once. The partitions
	 * this worker runs go to others, which resume them from their last committed chunks, as after a
	 * kill.
	 */
	private void checkLocks() {
		for (ClaimedPartition claim : this.claims) {
			if (!claim.alive()) {
				log.error("Lost the lock on {}: its connection to the job repository no longer answers. Ending at once,"
						+ " so that the partition never runs beside the worker the manager hands it to; use a direct or"
						+ " session-mode connection to PostgreSQL without an idle timeout", claim.request());
				Runtime.getRuntime().halt(LOST_LOCK_EXIT);
			}
		}
	}

	private void takeRequests() {
		while (!this.stopping) {
			Optional<ClaimedPartition> claim;
			try {
				// a pooled query first: a claim opens a connection of its own, which an idle worker should not churn
				claim = (this.requests.pending() > 0) ? this.requests.claim(this.jobRepository) : Optional.empty();
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
			ClaimedPartition partition = claim.get();
			this.claims.add(partition);
			try {
				run(partition.request());
			}
			catch (RuntimeException ex) {
				log.error("Partition request {} failed: {}", partition.request(), ex.getMessage());
			}
			finally {
				this.claims.remove(partition);
				partition.close();
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
