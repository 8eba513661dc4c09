package io.kafkadr.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One contender's command, run as a child process and measured the same way for every contender:
 * wall time around the whole process, peak RSS from GNU time ({@code %M}, the kernel's
 * {@code ru_maxrss}), and for a JVM its peak heap from its GC log (the occupancy before each
 * collection and at exit).
 *
 * @param command the command line
 * @param stdout where its standard output goes (kcat's JSON, for one)
 * @param gcLog the GC log a JVM command writes, or null
 */
record TimedCommand(List<String> command, Path stdout, Path gcLog) {

	private static final Path GNU_TIME = Path.of("/usr/bin/time");

	private static final Pattern GC_PAUSE = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\(");

	private static final Pattern EXIT_USED = Pattern.compile("garbage-first heap.*used (\\d+)K");

	/** A Java command on this JVM's class path, with {@code -Xmx} and a GC log. */
	static TimedCommand java(String heap, Path work, String mainClass, List<String> args, Path stdout) {
		return java(heap, List.of(), work, onClassPath(mainClass), args, stdout);
	}

	/** The same with more JVM options (a flight recording, for one) and what to run: a main class or a jar. */
	static TimedCommand java(String heap, List<String> options, Path work, List<String> program, List<String> args,
			Path stdout) {
		Path gcLog = work.resolve("gc-" + System.nanoTime() + ".log");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx" + heap);
		// Options first: an -Xlog:disable among them would otherwise switch the GC log off.
		command.addAll(options);
		command.add("-Xlog:gc,gc+heap+exit:file=" + gcLog);
		command.addAll(program);
		command.addAll(args);
		return new TimedCommand(command, stdout, gcLog);
	}

	/** A main class on this JVM's class path. */
	static List<String> onClassPath(String mainClass) {
		return List.of("-cp", System.getProperty("java.class.path"), mainClass);
	}

	/**
	 * What one run measured; heap is -1 for a process that is not a JVM. CPU seconds (user and
	 * system, of the process and its threads) depend far less than wall time on what else the
	 * machine runs. {@code output} is what it logged (standard error, and standard output unless
	 * that went to a file).
	 */
	record Measurement(double seconds, double cpuSeconds, long peakRssBytes, long peakHeapBytes, long liveHeapBytes,
			List<Long> liveSamples, String output) {
	}

	/**
	 * The heap's largest occupancy (before a collection or at exit: what the heap limit must hold)
	 * and its largest occupancy after a collection that cleans the old generation (mixed or full;
	 * after young ones where none ran): what the process keeps alive, the figure that must not grow
	 * with the topic. Remark and cleanup pauses free nothing and do not count.
	 */
	private record HeapUse(long peak, long live) {
	}

	/** Runs the command; a non-zero exit fails the benchmark with the command's output. */
	Measurement run(Duration timeout) {
		return run(timeout, null);
	}

	/**
	 * Runs the command and, every {@code liveEvery} (null: never), asks the JVM for a class
	 * histogram ({@code jcmd GC.class_histogram}), which runs a full collection first: its total is
	 * exactly what is alive, the figure that shows whether the heap grows with the topic. The full
	 * collections cost time, so only the memory check samples.
	 */
	Measurement run(Duration timeout, Duration liveEvery) {
		return start().await(timeout, liveEvery);
	}

	/**
	 * Starts the command and returns at once: for processes that run beside a timed one (the scale-out
	 * scenario's workers), measured the same way once they end.
	 */
	Running start() {
		try {
			Path rss = Files.createTempFile("bench-rss-", ".txt");
			Path log = Files.createTempFile("bench-log-", ".txt");
			List<String> timed = new ArrayList<>();
			if (Files.isExecutable(GNU_TIME)) {
				timed.addAll(List.of(GNU_TIME.toString(), "-f", "%M %U %S", "-o", rss.toString()));
			}
			timed.addAll(this.command);
			ProcessBuilder builder = new ProcessBuilder(timed).redirectError(log.toFile());
			builder.redirectOutput((this.stdout != null) ? ProcessBuilder.Redirect.to(this.stdout.toFile())
					: ProcessBuilder.Redirect.appendTo(log.toFile()));
			long start = System.nanoTime();
			return new Running(builder.start(), start, rss, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A started command, to wait for or to stop. */
	final class Running {

		private final Process process;

		private final long start;

		private final Path rss;

		private final Path log;

		private Running(Process process, long start, Path rss, Path log) {
			this.process = process;
			this.start = start;
			this.rss = rss;
			this.log = log;
		}

		/** What it has logged so far. */
		String outputSoFar() {
			try {
				return Files.readString(this.log);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		boolean isAlive() {
			return this.process.isAlive();
		}

		/**
		 * The CPU seconds (user and system) its JVM has used so far, from {@code /proc/<pid>/stat}
		 * (Linux, 100 clock ticks a second); NaN where that cannot be read.
		 */
		double cpuSecondsSoFar() {
			ProcessHandle jvm = Stream.concat(Stream.of(this.process.toHandle()), this.process.descendants())
				.filter(handle -> handle.info().command().orElse("").endsWith("/java"))
				.findFirst()
				.orElse(null);
			if (jvm == null) {
				return Double.NaN;
			}
			try {
				String stat = Files.readString(Path.of("/proc", String.valueOf(jvm.pid()), "stat"));
				// after the command's name in brackets: state is field 3, utime 14 and stime 15
				String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
			}
			catch (IOException | RuntimeException ex) {
				return Double.NaN;
			}
		}

		/** Waits for the command to end (sampling its live heap every {@code liveEvery}, null: never); a non-zero exit fails the benchmark. */
		Measurement await(Duration timeout, Duration liveEvery) {
			try {
				List<Long> liveSamples = new ArrayList<>();
				if (liveEvery != null) {
					long deadline = System.nanoTime() + timeout.toNanos();
					while (!this.process.waitFor(liveEvery.toMillis(), TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
						long live = liveBytes(this.process);
						if (live >= 0) {
							liveSamples.add(live);
						}
					}
				}
				if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					this.process.descendants().forEach(ProcessHandle::destroyForcibly);
					this.process.destroyForcibly();
					this.process.waitFor();
					throw new IllegalStateException("Timed out after " + timeout + ": " + String.join(" ", TimedCommand.this.command)
							+ "\n" + tail(this.log));
				}
				double seconds = (System.nanoTime() - this.start) / 1e9;
				if (this.process.exitValue() != 0) {
					throw new IllegalStateException("Exit " + this.process.exitValue() + ": "
							+ String.join(" ", TimedCommand.this.command) + "\n" + tail(this.log));
				}
				return measured(seconds, liveSamples);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * Ends a command that serves until it is stopped (a worker): SIGTERM to the JVM, as Kubernetes
		 * ends a pod, and waits for it. Its CPU and memory count; its wall time is only how long it ran.
		 */
		Measurement stop(Duration timeout) {
			try {
				// the JVM, not GNU time above it: GNU time must live on to write what the JVM used
				this.process.descendants().filter(handle -> handle.info().command().orElse("").endsWith("/java"))
					.forEach(ProcessHandle::destroy);
				if (this.process.descendants().findAny().isEmpty() && this.process.isAlive()) {
					this.process.destroy();
				}
				if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
					this.process.descendants().forEach(ProcessHandle::destroyForcibly);
					this.process.destroyForcibly();
					this.process.waitFor();
					throw new IllegalStateException("Did not stop within " + timeout + ": "
							+ String.join(" ", TimedCommand.this.command) + "\n" + tail(this.log));
				}
				return measured((System.nanoTime() - this.start) / 1e9, List.of());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		private Measurement measured(double seconds, List<Long> liveSamples) throws IOException {
			String[] resources = lastLine(Files.readAllLines(this.rss)).split(" ");
			long peakRss = (resources.length == 3) ? Long.parseLong(resources[0]) * 1024 : -1;
			double cpu = (resources.length == 3) ? Double.parseDouble(resources[1]) + Double.parseDouble(resources[2]) : -1;
			String output = Files.readString(this.log);
			Files.deleteIfExists(this.rss);
			Files.deleteIfExists(this.log);
			HeapUse heap = heapUse();
			return new Measurement(seconds, cpu, peakRss, heap.peak(), heap.live(), liveSamples, output);
		}

	}

	/** The total of a class histogram of the JVM under GNU time, or -1 when it has not started or has just ended. */
	private static long liveBytes(Process process) throws IOException, InterruptedException {
		ProcessHandle jvm = Stream.concat(Stream.of(process.toHandle()), process.descendants())
			.filter(handle -> handle.info().command().orElse("").endsWith("/java"))
			.findFirst()
			.orElse(null);
		if (jvm == null) {
			return -1;
		}
		Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
				String.valueOf(jvm.pid()), "GC.class_histogram").redirectErrorStream(true).start();
		List<String> lines = new String(jcmd.getInputStream().readAllBytes()).lines().toList();
		if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
			jcmd.destroyForcibly();
			return -1;
		}
		for (int i = lines.size() - 1; i >= 0; i--) {
			String[] fields = lines.get(i).trim().split("\\s+");
			if (fields.length == 3 && fields[0].equals("Total")) {
				return Long.parseLong(fields[2]);
			}
		}
		return -1;
	}

	private HeapUse heapUse() throws IOException {
		if (this.gcLog == null || !Files.exists(this.gcLog)) {
			return new HeapUse(-1, -1);
		}
		long peak = 0;
		long afterYoung = -1;
		long afterOld = -1;
		for (String line : Files.readAllLines(this.gcLog)) {
			Matcher pause = GC_PAUSE.matcher(line);
			if (pause.find()) {
				peak = Math.max(peak, Long.parseLong(pause.group(1)) * unit(pause.group(2)));
				long after = Long.parseLong(pause.group(3)) * unit(pause.group(4));
				if (line.contains("Pause Full") || line.contains("(Mixed)")) {
					afterOld = Math.max(afterOld, after);
				}
				else if (line.contains("Pause Young")) {
					afterYoung = Math.max(afterYoung, after);
				}
			}
			Matcher used = EXIT_USED.matcher(line);
			if (used.find()) {
				peak = Math.max(peak, Long.parseLong(used.group(1)) << 10);
			}
		}
		Files.delete(this.gcLog);
		return new HeapUse(peak, (afterOld >= 0) ? afterOld : afterYoung);
	}

	private static long unit(String unit) {
		return switch (unit) {
			case "K" -> 1L << 10;
			case "M" -> 1L << 20;
			default -> 1L << 30;
		};
	}

	/** GNU time's figures: the last line, after any "Command exited with non-zero status". */
	private static String lastLine(List<String> lines) {
		for (int i = lines.size() - 1; i >= 0; i--) {
			String line = lines.get(i).trim();
			if (line.matches("\\d+ [\\d.]+ [\\d.]+")) {
				return line;
			}
		}
		return "";
	}

	private static String tail(Path log) throws IOException {
		List<String> lines = Files.readAllLines(log);
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
	}

}
