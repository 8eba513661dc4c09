package io.kafkadr.progress;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.kafkadr.execution.PartitionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * The live progress display of {@code backup} and {@code restore}: while their job runs and
 * standard error is an interactive terminal, the bottom of that terminal shows a {@link LiveFrame},
 * redrawn in place five times a second, cleared when the job ends (the summary follows as always).
 * {@code kafka-dr.progress.display=off} turns it off, and so does {@code --json}
 * ({@link #forScripts}). Without a terminal (a pipe, a file, CI, a Kubernetes pod) nothing changes:
 * not a byte of the output differs.
 *
 * <p>Standard error, not standard output: standard output carries the command's result, which a
 * script captures ({@code id=$(kafka-dr backup …)}) or a pipe reads, and the progress is not a
 * result; standard error is where the progress lines always went and where a person watches.
 *
 * <p>Logs keep going to standard error while the display shows, every one of them as without it:
 * the display takes over {@code System.err} (which logback's console appender writes through at
 * each event), erases its frame before each write and draws it again below the text ({@link Screen}).
 * Silencing INFO while the display shows was the other way; it would have left a terminal session
 * without the log lines that the same run shows everywhere else, the per-partition progress lines
 * included.
 */
public final class LiveDisplay {

	private static final Logger log = LoggerFactory.getLogger(LiveDisplay.class);

	/** Five frames a second: smooth enough for a person, and a frame costs well under a millisecond. */
	private static final long REDRAW_MILLIS = 200;

	/** The window of the rates and ETAs: long enough to even out chunks, short enough to show a slowdown. */
	private static final Duration WINDOW = Duration.ofSeconds(10);

	private static final int PARTITION_LINES = 20;

	/** How often the terminal's size is asked again (a process each time), so that a resized window is followed. */
	private static final long SIZE_NANOS = Duration.ofSeconds(2).toNanos();

	private final TransferBoard board;

	private final boolean enabled;

	private volatile boolean forScripts;

	private Showing showing;

	public LiveDisplay(TransferBoard board, ProgressProperties properties) {
		this.board = board;
		this.enabled = properties.display() != ProgressProperties.Display.off;
	}

	/** The command prints its result as JSON for a script: no display, the output as without a terminal. */
	public void forScripts() {
		this.forScripts = true;
	}

	/** Starts showing the job's progress, if standard error is a terminal and nothing turned the display off. */
	void start(JobExecution job) {
		if (!this.enabled || this.forScripts) {
			return;
		}
		Terminal.standardError(System.getenv()).ifPresent((terminal) -> this.showing = new Showing(terminal, job));
	}

	/** Clears the display and gives standard error back, before the job's summary is logged. */
	void stop() {
		if (this.showing != null) {
			this.showing.close();
			this.showing = null;
		}
	}

	/** What the job runs now, from its step executions (which its partitioned steps add all their partitions to). */
	static LiveFrame.Job job(JobExecution execution) {
		String name = execution.getJobInstance().getJobName();
		String operation = name.endsWith("Job") ? name.substring(0, name.length() - "Job".length()) : name;
		List<StepExecution> steps = List.copyOf(execution.getStepExecutions());
		List<String> running = new ArrayList<>();
		for (StepExecution step : steps) {
			if (!PartitionContext.isPartition(step.getStepName()) && step.getStatus().isRunning()) {
				running.add(step.getStepName());
			}
		}
		int partitions = 0;
		int done = 0;
		int waiting = 0;
		for (StepExecution step : steps) {
			if (PartitionContext.isPartition(step.getStepName())
					&& running.contains(PartitionContext.partitionedStep(step.getStepName()))) {
				partitions++;
				done += (step.getStatus() == BatchStatus.COMPLETED) ? 1 : 0;
				waiting += (step.getStatus() == BatchStatus.STARTING) ? 1 : 0;
			}
		}
		return new LiveFrame.Job(operation, running, partitions, done, waiting);
	}

	/** The display of one job: standard error taken over, and the thread that redraws it. */
	private final class Showing {

		private final Terminal terminal;

		private final JobExecution job;

		private final PrintStream original = System.err;

		private final Screen screen = new Screen(this.original);

		private final LiveFrame frame;

		private final RecentRates rates = new RecentRates(WINDOW);

		private final ScheduledExecutorService ticker;

		private Terminal.Size size;

		private long sizedAt;

		Showing(Terminal terminal, JobExecution job) {
			this.terminal = terminal;
			this.job = job;
			this.frame = new LiveFrame(this.original.charset().newEncoder().canEncode("…≤"));
			this.size = terminal.size();
			this.sizedAt = System.nanoTime();
			System.setErr(new PrintStream(this.screen.above(), true, this.original.charset()));
			this.ticker = Executors
				.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("progress-display").daemon().factory());
			this.ticker.scheduleWithFixedDelay(this::redraw, 0, REDRAW_MILLIS, TimeUnit.MILLISECONDS);
		}

		private void redraw() {
			try {
				long now = System.nanoTime();
				if (now - this.sizedAt > SIZE_NANOS) {
					this.size = this.terminal.size();
					this.sizedAt = now;
				}
				// the total line, the table's header and a line for the cursor below the frame
				int partitionLines = (this.size.lines() > 0) ? Math.min(PARTITION_LINES, this.size.lines() - 3)
						: PARTITION_LINES;
				List<LiveFrame.Row> rows = this.rates.rows(LiveDisplay.this.board.transfers(), now);
				this.screen.show(this.frame.render(job(this.job), rows, this.size.columns(), partitionLines));
			}
			catch (RuntimeException ex) {
				// a frame that cannot be drawn must not end the redraws, let alone the job: the next one may be fine
				log.debug("Could not draw the progress display", ex);
			}
		}

		void close() {
			this.ticker.shutdownNow();
			try {
				// a redraw under way finishes before the frame is erased, so that none is drawn after it
				this.ticker.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.screen.close();
			System.setErr(this.original);
		}

	}

}
