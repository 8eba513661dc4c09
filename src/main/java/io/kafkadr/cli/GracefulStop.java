package io.kafkadr.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.kafkadr.execution.JobInstanceRunner;
import io.kafkadr.execution.Poll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Stops a command's job at a chunk boundary when the process is asked to end: SIGTERM (a pod
 * evicted or deleted, a Job's {@code activeDeadlineSeconds}) or SIGINT (Ctrl-C).
 *
 * <p>It handles the signal itself, before the JVM begins to shut down, because once that begins
 * nothing can wait for a job: the JVM runs its shutdown hooks concurrently and ends when they
 * return; Spring Boot's hook closes the context, and the job repository's DataSource with it; H2's
 * hook (which its AUTO_SERVER mode requires) closes the job repository's database at once; and a
 * JVM ending on a signal exits with 128 + the signal whatever {@code System.exit} asks for. So the
 * handler asks the job to stop ({@link JobInstanceRunner#requestStop()}) and waits, at most
 * {@code kafka-dr.stop-timeout}, until the job has ended. The command then reports the job STOPPED
 * and exits {@value ExitCodes#FAILED} as for any job that did not complete; the next run of the
 * same command resumes it.
 *
 * <p>When no job runs (checks before it starts; commands without a job), when the job does not
 * stop in time (a long tasklet), or on a second signal, the JVM's own handling follows: exit
 * 128 + the signal. A job ended that
 * way is left as a kill leaves it (STOPPING or STARTED in the job repository) and is recovered and
 * resumed by the same command.
 */
final class GracefulStop implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);

	private static final List<String> SIGNALS = List.of("TERM", "INT");

	private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

	private final JobInstanceRunner jobs;

	private final Duration timeout;

	private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

	private final AtomicBoolean stopping = new AtomicBoolean();

	private GracefulStop(JobInstanceRunner jobs, Duration timeout) {
		this.jobs = jobs;
		this.timeout = timeout;
	}

	/** Handles SIGTERM and SIGINT until closed, for the jobs this context runs. */
	static GracefulStop install(ConfigurableApplicationContext context) {
		GracefulStop stop = new GracefulStop(context.getBean(JobInstanceRunner.class),
				context.getBean(StopProperties.class).stopTimeout());
		for (String name : SIGNALS) {
			Signal signal = new Signal(name);
			try {
				stop.previous.put(signal, Signal.handle(signal, stop::handle));
			}
			catch (IllegalArgumentException ex) {
				// the JVM keeps this signal to itself (-Xrs): it ends the process as it always does
				log.debug("Cannot handle SIG{}", name, ex);
			}
		}
		return stop;
	}

	/** Runs on a thread of its own, one per signal received; a second signal ends the process at once. */
	private void handle(Signal signal) {
		if (this.jobs.isRunning() && this.stopping.compareAndSet(false, true)) {
			log.warn("Asked to end (SIG{}): the job stops at its next chunk boundary; waiting up to {}", signal.getName(),
					this.timeout);
			try {
				Poll.every(POLL_INTERVAL).until(this.timeout, this::stopped);
				return;
			}
			catch (Poll.NotYet ex) {
				// still running at the deadline, or interrupted: it may have ended since the last look
				if (!this.jobs.isRunning()) {
					return;
				}
			}
			log.warn("The job did not stop within {} (kafka-dr.stop-timeout); ending now. Run the same command to resume"
					+ " it.", this.timeout);
		}
		endAsTheJvmWould(signal);
	}

	/** Asks the job to stop again while it runs: a stop asked before its execution was recorded does not stick. */
	private Void stopped() throws Poll.NotYet {
		if (!this.jobs.isRunning()) {
			return null;
		}
		try {
			this.jobs.requestStop();
		}
		catch (RuntimeException ex) {
			log.warn("Could not ask the job to stop: {}", ex.getMessage());
		}
		throw new Poll.NotYet("the job is running");
	}

	private void endAsTheJvmWould(Signal signal) {
		SignalHandler handler = this.previous.get(signal);
		if (handler != null && handler != SignalHandler.SIG_DFL && handler != SignalHandler.SIG_IGN) {
			handler.handle(signal);
		}
		else if (handler != SignalHandler.SIG_IGN) {
			System.exit(128 + signal.getNumber());
		}
	}

	/** Gives the signals back to whoever handled them before. */
	@Override
	public void close() {
		this.previous.forEach(Signal::handle);
	}

}
