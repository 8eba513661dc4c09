package io.kafkadr.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.kafkadr.KafkaDrApplication;

/** kafka-dr running in a real child JVM, so that a test can kill it the way an OOM killer or a node loss does. */
public final class ChildProcess {

	/**
	 * JVM settings for a kafka-dr that tests start many times over a small amount of data: C1 alone
	 * and the serial collector halve the CPU a start takes on the test class path (which, holding
	 * directories, cannot have an AOT cache), and the tests' 2 cores feel every start.
	 */
	public static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

	private final Process process;

	private final Path log;

	private final Path errors;

	private ChildProcess(Process process, Path log, Path errors) {
		this.process = process;
		this.log = log;
		this.errors = errors;
	}

	/**
	 * Starts {@code java -cp <test classpath> io.kafkadr.KafkaDrApplication <args>}, its standard
	 * output and error together in {@link #output}.
	 */
	public static ChildProcess start(List<String> args) {
		return start(args, Map.of());
	}

	/** As {@link #start(List)}, with these environment variables added to this process's. */
	public static ChildProcess start(List<String> args, Map<String, String> environment) {
		return start(KafkaDrApplication.class, args, System.getProperty("java.class.path"), false, environment);
	}

	/**
	 * Starts {@code java -cp <test classpath> <main> <args>}: a test's own program, for what no
	 * kafka-dr command does alone (such as holding a lock until killed). Output as {@link #start}.
	 */
	public static ChildProcess startMain(Class<?> main, List<String> args) {
		return start(main, args, System.getProperty("java.class.path"), false, Map.of());
	}

	/**
	 * Starts kafka-dr as it ships: without the test classes (so with the main {@code logback.xml},
	 * not the tests'), its standard output in {@link #output} and its standard error apart, in
	 * {@link #errors}.
	 */
	public static ChildProcess startAsShipped(List<String> args) {
		return start(KafkaDrApplication.class, args, shippedClassPath(), true, Map.of());
	}

	/**
	 * Starts kafka-dr as it ships in a pseudo-terminal, as a person at a terminal runs it:
	 * util-linux {@code script -qfec COMMAND /dev/null} gives it a terminal for standard input,
	 * output and error, and {@link #output} is what that terminal received, escape codes included
	 * (its lines end in CR LF, as a terminal's do). With these environment variables added, such as
	 * the {@code TERM} a terminal emulator sets.
	 */
	public static ChildProcess startAsShippedInTerminal(List<String> args, Map<String, String> environment) {
		return shell("script -qfec " + quoted(shippedCommand(args)) + " /dev/null", environment);
	}

	/**
	 * The same as {@link #startAsShippedInTerminal}, with standard output and error piped to
	 * {@code cat} instead, as a pipeline or a log collector reads them: {@link #output} is what
	 * came through the pipe.
	 */
	public static ChildProcess startAsShippedPiped(List<String> args, Map<String, String> environment) {
		return shell(shippedCommand(args) + " 2>&1 | cat", environment);
	}

	/** The class path without the test classes, so with the main {@code logback.xml}. */
	private static String shippedClassPath() {
		String testClasses = Path.of("target", "test-classes").toAbsolutePath().toString();
		return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter((entry) -> !Path.of(entry).toAbsolutePath().toString().equals(testClasses))
			.collect(Collectors.joining(File.pathSeparator));
	}

	/**
	 * {@code java @FILE} for a shell: the JVM's arguments in an argument file, as a command line
	 * of a class path's length is unwieldy to quote and may exceed what one argument can hold.
	 */
	private static String shippedCommand(List<String> args) {
		List<String> command = command(KafkaDrApplication.class, args, shippedClassPath());
		try {
			Path file = Files.createTempFile("kafka-dr-child-", ".args");
			Files.write(file, command.subList(1, command.size())
				.stream()
				.map((arg) -> '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"')
				.toList());
			return quoted(command.get(0)) + " " + quoted("@" + file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String quoted(String word) {
		return "'" + word.replace("'", "'\\''") + "'";
	}

	private static ChildProcess shell(String commandLine, Map<String, String> environment) {
		return launch(List.of("sh", "-c", commandLine), false, environment);
	}

	private static ChildProcess start(Class<?> main, List<String> args, String classPath, boolean separateErrors,
			Map<String, String> environment) {
		return launch(command(main, args, classPath), separateErrors, environment);
	}

	private static List<String> command(Class<?> main, List<String> args, String classPath) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// kafka-dr streams: it must do its work in a small heap, whatever the topic size
		command.add("-Xmx128m");
		command.addAll(QUICK_START);
		// as the jar's manifest does (Enable-Native-Access): zstd-jni's native library loads without a JVM warning
		command.add("--enable-native-access=ALL-UNNAMED");
		command.add("-cp");
		command.add(classPath);
		command.add(main.getName());
		command.addAll(args);
		return command;
	}

	private static ChildProcess launch(List<String> command, boolean separateErrors, Map<String, String> environment) {
		try {
			Path log = Files.createTempFile("kafka-dr-child-", ".log");
			ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(log.toFile());
			builder.environment().putAll(environment);
			Path errors = null;
			if (separateErrors) {
				errors = Files.createTempFile("kafka-dr-child-", ".err");
				builder.redirectError(errors.toFile());
			}
			else {
				builder.redirectErrorStream(true);
			}
			return new ChildProcess(builder.start(), log, errors);
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

	/**
	 * SIGSTOP: the process keeps its locks and open files but makes no progress (a later
	 * {@link #kill} still ends it), so that a check taking a JVM start of its own cannot race the end
	 * of a fast run. Nothing may wait on it meanwhile, such as a client of its H2 server.
	 */
	public void pause() {
		signal("STOP");
	}

	/** SIGCONT: a {@link #pause paused} process goes on from where it stopped, its timers overdue. */
	public void resume() {
		signal("CONT");
	}

	private void signal(String name) {
		try {
			Process signal = new ProcessBuilder("kill", "-" + name, String.valueOf(this.process.pid())).inheritIO().start();
			if (!signal.waitFor(30, TimeUnit.SECONDS) || signal.exitValue() != 0) {
				throw new IllegalStateException("kill -" + name + " " + this.process.pid() + " failed");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The process id, as a lock it holds names it. */
	public long pid() {
		return this.process.pid();
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
						+ ((this.errors != null) ? "\n--- its standard error ---\n" + errors() : "")
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
		return read(this.log);
	}

	/** Standard error, of a process started with {@link #startAsShipped}. */
	public String errors() {
		if (this.errors == null) {
			throw new IllegalStateException("standard error is in output(): start the process with startAsShipped");
		}
		return read(this.errors);
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			return "(no output: " + ex + ")";
		}
	}

}
