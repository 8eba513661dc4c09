package io.kafkadr.partitioning;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;

/**
 * Watches, while a remote manager step waits for its partitions, for those that no worker runs:
 * a partition still marked running whose lock no live worker holds, while no request waits in the
 * queue, lost its worker (killed, its node gone) or had its request dropped, and is handed out
 * again; the next worker resumes it from its last committed chunk. A partition is handed out
 * again only when two checks in a row find it so, which lets a request that a worker is taking
 * right now arrive. It also logs the step's progress every 30 seconds, and says, every minute, when
 * requests wait and no worker takes them.
 */
final class UnservedPartitions implements StepExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(UnservedPartitions.class);

	private static final long CHECK_SECONDS = 5;

	/** Every how many checks the manager logs its step's progress: every 30 s. */
	private static final int PROGRESS_CHECKS = 6;

	/** How many checks in a row with requests waiting and none taken before the log says so. */
	private static final int WAITING_CHECKS = 12;

	private final WorkRequests requests;

	private final JobRepository jobRepository;

	private final String workerStepName;

	private ScheduledExecutorService checks;

	UnservedPartitions(WorkRequests requests, JobRepository jobRepository, String workerStepName) {
		this.requests = requests;
		this.jobRepository = jobRepository;
		this.workerStepName = workerStepName;
	}

	@Override
	public void beforeStep(StepExecution managerStep) {
		long jobExecutionId = managerStep.getJobExecutionId();
		Check check = new Check(jobExecutionId, managerStep.getStepName());
		this.checks = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("unserved-partitions").daemon().factory());
		this.checks.scheduleWithFixedDelay(check::run, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
	}

	@Override
	public ExitStatus afterStep(StepExecution managerStep) {
		this.checks.shutdownNow();
		return null;
	}

	/** One manager step's checks, with what the previous check found. */
	private final class Check {

		private final long jobExecutionId;

		private final String stepName;

		private Set<Long> suspects = new HashSet<>();

		private long count;

		private int waiting;

		private int lastPending = -1;

		Check(long jobExecutionId, String stepName) {
			this.jobExecutionId = jobExecutionId;
			this.stepName = stepName;
		}

		void run() {
			try {
				check();
			}
			catch (RuntimeException ex) {
				// the next check tries again; the manager step itself fails if the job repository is gone
				log.warn("Could not check for partitions without a worker: {}", ex.getMessage());
			}
		}

		private void check() {
			int pending = UnservedPartitions.this.requests.pending();
			noteWaiting(pending);
			JobExecution job = null;
			if (++this.count % PROGRESS_CHECKS == 0) {
				job = UnservedPartitions.this.jobRepository.getJobExecution(this.jobExecutionId);
				logProgress(job, pending);
			}
			if (pending > 0) {
				this.suspects.clear();
				return;
			}
			if (job == null) {
				job = UnservedPartitions.this.jobRepository.getJobExecution(this.jobExecutionId);
			}
			Set<Long> unserved = new HashSet<>();
			for (StepExecution partition : partitions(job)) {
				if (partition.getStatus().isRunning() && !UnservedPartitions.this.requests.isRunning(partition)) {
					unserved.add(partition.getId());
					if (this.suspects.contains(partition.getId())) {
						log.warn("Partition {} has no worker any more (its worker stopped or was killed); handing it to"
								+ " another, which resumes it from its last committed chunk", partition.getStepName());
						UnservedPartitions.this.requests.send(
								new StepExecutionRequest(UnservedPartitions.this.workerStepName, partition.getId()));
						unserved.remove(partition.getId());
					}
				}
			}
			this.suspects = unserved;
		}

		/**
		 * The manager's own progress line: its workers log their partitions' lines, and without this it
		 * would say nothing between its start and its summary.
		 */
		private void logProgress(JobExecution job, int pending) {
			List<StepExecution> partitions = partitions(job);
			long done = partitions.stream().filter(p -> p.getStatus() == BatchStatus.COMPLETED).count();
			long running = partitions.stream().filter(p -> p.getStatus() == BatchStatus.STARTED).count();
			log.info("{}: {} of {} partitions done, {} running on workers, {} requests of {} waiting", this.stepName, done,
					partitions.size(), running, pending, UnservedPartitions.this.requests.queue());
		}

		private List<StepExecution> partitions(JobExecution job) {
			return job.getStepExecutions()
				.stream()
				.filter(partition -> partition.getStepName().startsWith(UnservedPartitions.this.workerStepName + ":"))
				.toList();
		}

		private void noteWaiting(int pending) {
			this.waiting = (pending > 0 && pending == this.lastPending) ? this.waiting + 1 : 0;
			this.lastPending = pending;
			if (this.waiting > 0 && this.waiting % WAITING_CHECKS == 0) {
				log.warn("{} partition requests of {} have waited {} s with no worker taking one: start `kafka-dr worker`"
						+ " with the same plan (cluster, registry and storage settings) and job repository"
						+ " (spring.datasource.url)", pending, UnservedPartitions.this.requests.queue(),
						this.waiting * CHECK_SECONDS);
			}
		}

	}

}
