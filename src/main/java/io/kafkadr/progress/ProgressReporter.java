package io.kafkadr.progress;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Logs, while a job runs, one line per topic-partition it is moving every
 * {@code kafka-dr.progress.interval}, and when it ends a summary: per topic the records and bytes
 * of the partitions this run worked on (counted since their first run), the duration and the rate.
 * Logs go to standard error; standard output carries only the commands' results.
 */
public final class ProgressReporter implements JobExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);

	private final TransferBoard board;

	private final Duration interval;

	private ScheduledExecutorService ticker;

	public ProgressReporter(TransferBoard board, ProgressProperties properties) {
		this.board = board;
		this.interval = properties.interval();
	}

	@Override
	public void beforeJob(JobExecution jobExecution) {
		this.board.clear();
		this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("progress").daemon().factory());
		long millis = Math.max(1, this.interval.toMillis());
		// fixed delay: a tick held up (a busy machine) is not followed by a burst of catch-up ticks
		this.ticker.scheduleWithFixedDelay(this::report, millis, millis, TimeUnit.MILLISECONDS);
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
		List<Transfer> transfers = this.board.transfers();
		if (transfers.isEmpty()) {
			return;
		}
		Map<String, Totals> topics = new TreeMap<>();
		for (Transfer transfer : transfers) {
			topics.computeIfAbsent(transfer.topic(), (topic) -> new Totals()).add(transfer);
		}
		Totals all = new Totals();
		transfers.forEach(all::add);
		LocalDateTime end = (jobExecution.getEndTime() != null) ? jobExecution.getEndTime() : LocalDateTime.now();
		Duration took = (jobExecution.getStartTime() != null) ? Duration.between(jobExecution.getStartTime(), end)
				: Duration.ZERO;
		double seconds = Math.max(1e-3, took.toMillis() / 1000.0);
		log.info(String.format("%s %s in %s: %,d records, %s in %s of %s; this run moved %,d records, %,d records/s",
				transfers.get(0).operation(), jobExecution.getStatus(), Units.duration(took.toSeconds()), all.records,
				Units.bytes(all.bytes), Units.count(all.partitions, "partition"), Units.count(topics.size(), "topic"),
				all.recordsThisRun, Math.round(all.recordsThisRun / seconds)));
		topics.forEach((topic, totals) -> log.info(String.format("%s %s: %,d records, %s in %s",
				transfers.get(0).operation(), topic, totals.records, Units.bytes(totals.bytes),
				Units.count(totals.partitions, "partition"))));
	}

	/** Records and bytes of some partitions, added up. */
	private static final class Totals {

		private long records;

		private long bytes;

		private long recordsThisRun;

		private int partitions;

		void add(Transfer transfer) {
			this.records += transfer.records();
			this.bytes += transfer.bytes();
			this.recordsThisRun += transfer.recordsThisRun();
			this.partitions++;
		}

	}

}
