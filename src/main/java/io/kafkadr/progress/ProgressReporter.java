package io.kafkadr.progress;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.kafkadr.execution.PartitionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Logs, while a job runs, one line per topic-partition it is moving every
 * {@code kafka-dr.progress.interval}, and when it ends a summary: per topic the records and bytes
 * moved for the whole backup or restore (partitions that earlier runs of a resumed job completed
 * included, read back from the job repository), the run's duration and its rate. Logs go to
 * standard error; standard output carries only the commands' results. On a terminal it shows the
 * {@link LiveDisplay} meanwhile, and clears it before the summary.
 */
public final class ProgressReporter implements JobExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

	private final TransferBoard board;

	private final JobRepository jobRepository;

	private final Duration interval;

	private final LiveDisplay display;

	private ScheduledExecutorService ticker;

	public ProgressReporter(TransferBoard board, JobRepository jobRepository, ProgressProperties properties,
			LiveDisplay display) {
		this.board = board;
		this.jobRepository = jobRepository;
		this.interval = properties.interval();
		this.display = display;
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		this.board.clear();
		this.ticker = lines();
		this.display.start(jobExecution);
	}

	/**
	 * Logs the lines of the partitions this process moves, every interval, until closed: what a
	 * {@code kafka-dr worker} shows, whose partitions belong to a job another process runs.
	 */
	public AutoCloseable reportPartitions() {
		ScheduledExecutorService lines = lines();
		lines.scheduleWithFixedDelay(this.board::forgetFinished, 1, 1, TimeUnit.MINUTES);
		return lines::shutdownNow;
	}

	private ScheduledExecutorService lines() {
		ScheduledExecutorService lines = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("progress").daemon().factory());
		long millis = Math.max(1, this.interval.toMillis());
		// fixed delay: a tick held up (a busy machine) is not followed by a burst of catch-up ticks
		lines.scheduleWithFixedDelay(this::report, millis, millis, TimeUnit.MILLISECONDS);
		return lines;
	}

	private void report() {
		long now = System.nanoTime();
		for (Transfer transfer : this.board.transfers()) {
			if (transfer.active()) {
				log.info(transfer.line(now));
			}
		}
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		this.ticker.shutdownNow();
		this.display.stop();
		List<Transfer> transfers = this.board.transfers();
		List<StepExecution> remote = transfers.isEmpty() ? movedElsewhere(jobExecution) : List.of();
		if (transfers.isEmpty() && remote.isEmpty()) {
			return;
		}
		Map<String, Totals> topics = new TreeMap<>();
		Totals all = new Totals();
		for (Transfer transfer : transfers) {
			topics.computeIfAbsent(transfer.topic(), (topic) -> new Totals()).add(transfer.records(), transfer.bytes(),
					transfer.recordsThisRun());
			all.add(transfer.records(), transfer.bytes(), transfer.recordsThisRun());
		}
		for (StepExecution partition : remote) {
			ExecutionContext context = partition.getExecutionContext();
			long records = PartitionContext.count(context, PartitionTransfer.RECORDS);
			long bytes = PartitionContext.count(context, PartitionTransfer.BYTES);
			// what this run's step execution wrote: partition steps count records (PartitionTransfer), not chunks
			topics.computeIfAbsent(context.getString(PartitionTransfer.TOPIC), (topic) -> new Totals())
				.add(records, bytes, partition.getWriteCount());
			all.add(records, bytes, partition.getWriteCount());
		}
		String operation = transfers.isEmpty() ? operation(jobExecution) : transfers.get(0).operation();
		for (ExecutionContext done : completedEarlier(jobExecution)) {
			long records = PartitionContext.count(done, PartitionTransfer.RECORDS);
			long bytes = PartitionContext.count(done, PartitionTransfer.BYTES);
			topics.computeIfAbsent(done.getString(PartitionTransfer.TOPIC), (topic) -> new Totals())
				.add(records, bytes, 0);
			all.add(records, bytes, 0);
		}
		LocalDateTime end = (jobExecution.getEndTime() != null) ? jobExecution.getEndTime() : LocalDateTime.now();
		Duration took = (jobExecution.getStartTime() != null) ? Duration.between(jobExecution.getStartTime(), end)
				: Duration.ZERO;
		double seconds = Math.max(1e-3, took.toMillis() / 1000.0);
		log.info(String.format("%s %s in %s: %,d records, %s in %s of %s; this run moved %,d records, %,d records/s",
				operation, jobExecution.getStatus(), Units.duration(took.toSeconds()), all.records,
				Units.bytes(all.bytes), Units.count(all.partitions, "partition"), Units.count(topics.size(), "topic"),
				all.recordsThisRun, Math.round(all.recordsThisRun / seconds)));
		topics.forEach((topic, totals) -> log.info(String.format("%s %s: %,d records, %s in %s", operation, topic, totals.records, Units.bytes(totals.bytes),
				Units.count(totals.partitions, "partition"))));
	}

	/**
	 * The partitions this execution moved on other processes ({@code kafka-dr.partitioning=remote}),
	 * as the job repository holds them: their workers counted into the partitions' contexts.
	 */
	private List<StepExecution> movedElsewhere(JobExecution current) {
		JobExecution stored = this.jobRepository.getJobExecution(current.getId());
		return (stored != null) ? stored.getStepExecutions()
			.stream()
			.filter((step) -> step.getExecutionContext().containsKey(PartitionTransfer.TOPIC))
			.toList() : List.of();
	}

	/** What the job does, as the partition lines name it: {@code backupJob} moves records for a "backup". */
	private static String operation(JobExecution execution) {
		return execution.getJobInstance().getJobName().replaceFirst("Job$", "");
	}

	/**
	 * The saved contexts of the partitions that earlier runs of this job instance completed, which a
	 * resumed job does not run again.
	 */
	private List<ExecutionContext> completedEarlier(JobExecution current) {
		Set<String> ranNow = new HashSet<>();
		current.getStepExecutions().forEach((step) -> ranNow.add(step.getStepName()));
		Map<String, ExecutionContext> completed = new TreeMap<>();
		for (JobExecution earlier : this.jobRepository.getJobExecutions(current.getJobInstance())) {
			if (earlier.getId() == current.getId()) {
				continue;
			}
			for (StepExecution step : earlier.getStepExecutions()) {
				if (step.getStatus() == BatchStatus.COMPLETED && !ranNow.contains(step.getStepName())
						&& step.getExecutionContext().containsKey(PartitionTransfer.TOPIC)) {
					completed.put(step.getStepName(), step.getExecutionContext());
				}
			}
		}
		return List.copyOf(completed.values());
	}

	/** Records and bytes of some partitions, added up. */
	private static final class Totals {

		private long records;

		private long bytes;

		private long recordsThisRun;

		private int partitions;

		void add(long records, long bytes, long recordsThisRun) {
			this.records += records;
			this.bytes += bytes;
			this.recordsThisRun += recordsThisRun;
			this.partitions++;
		}

	}

}
