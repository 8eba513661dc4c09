package io.kafkadr.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.kafkadr.KafkaDrApplication;

/** kafka-dr running in a real child JVM, so that a test can kill it the way an OOM killer or a node loss does. */
public final class ChildProcess {

	private final Process process;

	private final Path log;

	private ChildProcess(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	/** Starts {@code java -cp <test classpath> io.kafkadr.KafkaDrApplication <args>}. */
	public static ChildProcess start(List<String> args) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// kafka-dr streams: it must do its work in a small heap, whatever the topic size
		command.add("-Xmx128m");
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(KafkaDrApplication.class.getName());
		command.addAll(args);
		try {
			Path log = Files.createTempFile("kafka-dr-child-", ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			return new ChildProcess(process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** SIGKILL: no shutdown hook, no finally block, no flush runs. */
	public void kill() {
		this.process.destroyForcibly();
		waitFor(Duration.ofSeconds(30));
	}

	/**
	 * SIGTERM (what Kubernetes sends a pod it evicts): shutdown hooks run. Returns at once; wait
	 * for the exit code with {@link #waitFor}.
	 */
	public void terminate() {
		this.process.destroy();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** Waits for the process to end and returns its exit code. */
	public int waitFor(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				String threads = threadDump();
				this.process.destroyForcibly();
				throw new IllegalStateException("kafka-dr did not finish within " + timeout + ":\n" + output()
						+ "\n--- its threads ---\n" + threads);
			}
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Where a hung child waits: what {@code jstack} says about it. */
	private String threadDump() {
		try {
			Path dump = Files.createTempFile("kafka-dr-child-threads-", ".txt");
			Process jstack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
					String.valueOf(this.process.pid()))
				.redirectErrorStream(true)
				.redirectOutput(dump.toFile())
				.start();
			if (!jstack.waitFor(30, TimeUnit.SECONDS)) {
				jstack.destroyForcibly();
			}
			return Files.readString(dump);
		}
		catch (IOException ex) {
			return "(no thread dump: " + ex + ")";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "(no thread dump: interrupted)";
		}
	}

	public String output() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no output: " + ex + ")";
		}
	}

}
