package io.kafkadr.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import io.kafkadr.KafkaDrApplication;
import io.kafkadr.bench.DataSets.Topic;
import io.kafkadr.bench.Report.Row;
import io.kafkadr.bench.Report.Scenario;
import io.kafkadr.bench.TimedCommand.Measurement;
import io.kafkadr.testing.ChildProcess;
import io.kafkadr.testing.Sandboxes;

/**
 * The benchmark's entry point: starts a real KRaft broker and a real Apicurio registry, loads the
 * data sets, runs every contender against the same topics (round-robin, warm-up runs first and not
 * counted), runs the codec's JMH benchmark, and writes {@code results.md} and {@code results.json}.
 * {@code bench/run} starts it; {@code docs/benchmarks.md} explains it.
 */
public final class Benchmark {

	static final String KCAT = "/usr/bin/kcat";

	static final String KCAT_INSTALL = "apt-get install -y kcat";

	private static final Duration TIMEOUT = Duration.ofMinutes(60);

	/** The JVM's AOT cache in an extracted kafka-dr, as bench/run and the Dockerfile name it. */
	private static final String AOT_CACHE = "kafka-dr.aot";

	/** How often the memory check takes a class histogram of kafka-dr's heap. */
	private static final Duration LIVE_EVERY = Duration.ofSeconds(5);

	private final BenchSettings settings;

	private final Path work;

	private final List<String> notes = new ArrayList<>();

	private Sandboxes sandboxes;

	private DataSets data;

	private Benchmark(BenchSettings settings) {
		this.settings = settings;
		this.work = settings.output().resolve("work").toAbsolutePath();
	}

	public static void main(String[] args) {
		Report report = run(BenchSettings.fromSystemProperties());
		System.out.println(report.markdown());
		// The broker's and the registry's threads are gone, but the JVM must not wait for stragglers.
		System.exit(0);
	}

	/** Runs the whole benchmark and writes its tables into {@code settings.output()}. */
	public static Report run(BenchSettings settings) {
		return new Benchmark(settings).run();
	}

	private Report run() {
		deleteRecursively(this.work);
		createDirectories(this.work);
		Machine machine = Machine.describe();
		List<Scenario> scenarios = new ArrayList<>();
		List<Report.Table> tables = new ArrayList<>();
		try (Sandboxes sandboxes = Sandboxes.start()) {
			this.sandboxes = sandboxes;
			// The registry is a child process: a benchmark stopped with Ctrl-C or SIGTERM must not leave it behind.
			Thread stopRegistry = new Thread(sandboxes.registry()::stop);
			Runtime.getRuntime().addShutdownHook(stopRegistry);
			this.data = new DataSets(sandboxes.bootstrapServers());
			this.notes.add((this.settings.app() == null) ? "kafka-dr ran from the class path, without an AOT cache."
					: "kafka-dr ran as the image runs it: `java -jar` on the extracted jar, "
							+ (hasAotCache() ? "with the JVM's AOT cache (`-XX:AOTCache`)." : "without an AOT cache (it needs Java 25)."));
			if (!this.settings.scaleOut().only()) {
				scenarios.addAll(contenders());
			}
			if (this.settings.scaleOut().enabled()) {
				ScaleOutBenchmark.Result scaleOut = new ScaleOutBenchmark(this.settings, this.work, this.data, bootstrap(),
						this::kafkaDr, this.notes).run();
				scenarios.addAll(scaleOut.scenarios());
				tables.addAll(scaleOut.tables());
			}
			Runtime.getRuntime().removeShutdownHook(stopRegistry);
		}
		if (!this.settings.scaleOut().only()) {
			scenarios.addAll(CodecBenchmark.measure(this.settings));
		}
		this.notes.add("Load average (1, 5, 15 min) at the end: " + Machine.currentLoadAverage() + "; at the start: "
				+ machine.loadAverage());
		Report report = new Report(machine.asMap(), this.settings, scenarios, tables, this.notes);
		report.write(this.settings.output());
		deleteRecursively(this.work);
		return report;
	}

	/** The contenders' scenarios on the data sets: backups, the restore, parallelism, chunk size, the memory check. */
	private List<Scenario> contenders() {
		List<Scenario> scenarios = new ArrayList<>();
		int partitions = this.settings.partitions();
		Path kcatInput = this.work.resolve("raw-300.tsv");
		long loading = System.nanoTime();
		Topic raw300 = this.data.raw("raw-300", partitions, this.settings.raw300Records(), 300, kcatInput);
		Topic raw3k = this.data.raw("raw-3k", partitions, this.settings.raw3kRecords(), 3000, null);
		Topic avro = this.data.avro("avro-cdc", partitions, this.settings.avroRecords(), this.sandboxes.registryClient());
		this.notes.add("Loading %.0f MB took %.0f s.".formatted(
				(raw300.bytes() + raw3k.bytes() + avro.bytes()) / 1e6, (System.nanoTime() - loading) / 1e9));
		if (this.settings.runs() > 1) {
			// A single run (CI's) has no median to report, and the note would only slow it down.
			fixedCost(partitions);
		}
		Scenario backupRaw300 = backupScenario(raw300, "raw", 1.5);
		scenarios.add(backupRaw300);
		Scenario backupRaw3k = backupScenario(raw3k, "raw", 0);
		scenarios.add(backupRaw3k);
		scenarios.add(backupScenario(avro, "avro", 1.0));
		scenarios.add(restoreScenario(raw300, kcatInput));
		scenarios.add(parallelismScenario(raw300, backupRaw300));
		scenarios.add(chunkBytesScenario(raw3k));
		if (this.settings.largeBytes() > 0) {
			scenarios.add(largeScenario(raw3k, backupRaw3k));
		}
		return scenarios;
	}

	/**
	 * What every kafka-dr row pays before its first record: a backup of an empty topic (the JVM and
	 * Spring starting, the job repository, the registry and topic steps, the seal).
	 */
	private void fixedCost(int partitions) {
		this.data.create("empty", partitions);
		Topic empty = new Topic("empty", partitions, 0, 0);
		Path storage = this.work.resolve("backups-empty");
		String cost = emptyBackup(kafkaDrBackup(empty, "raw", storage, partitions, true, List.of()));
		if (hasAotCache()) {
			deleteRecursively(storage);
			cost += "; without the JVM's AOT cache " + emptyBackup(kafkaDrBackup(empty, "raw", storage, partitions, false, List.of()));
		}
		this.notes.add(("kafka-dr's fixed cost, in every kafka-dr row: a backup of an empty %d-partition topic takes %s:"
				+ " the JVM and Spring Boot starting, the job repository, the seal.").formatted(partitions, cost));
	}

	private String emptyBackup(Contender backup) {
		List<Double> seconds = new ArrayList<>();
		for (int round = 0; round < this.settings.warmups() + this.settings.runs(); round++) {
			Measurement measurement = backup.command().apply(round).run(TIMEOUT);
			backup.afterTimedRun().accept(round);
			if (round >= this.settings.warmups()) {
				seconds.add(measurement.seconds());
			}
		}
		seconds.sort(null);
		return "%.1f s (median of %d; min %.1f, max %.1f)".formatted(seconds.get(seconds.size() / 2), seconds.size(),
				seconds.get(0), seconds.get(seconds.size() - 1));
	}

	/** kafka-dr's backup of a topic against kcat -J and (for raw topics) ConsumerPerformance. */
	private Scenario backupScenario(Topic topic, String kind, double target) {
		Path storage = this.work.resolve("backups-" + topic.name());
		List<Contender> contenders = new ArrayList<>();
		contenders.add(kafkaDrBackup(topic, kind, storage, this.settings.partitions()));
		contenders.add(kcatConsume(topic));
		if (kind.equals("raw")) {
			contenders.add(consumerPerformance(topic));
		}
		String work = kind.equals("raw")
				? "back up `%s` (%,d records of %.0f MB): lossless, compressed, checksummed and verified afterwards"
				: "back up `%s` (%,d Debezium-style Avro change events, %.0f MB, two schema versions) decoded to readable JSON, verified afterwards";
		return measure("backup " + topic.name(), work.formatted(topic.name(), topic.records(), topic.megabytes()), target,
				"kcat -C -J", topic, contenders);
	}

	private Scenario restoreScenario(Topic topic, Path kcatInput) {
		Path storage = this.work.resolve("backups-" + topic.name());
		String backupId = lastBackupId(storage);
		List<Contender> contenders = new ArrayList<>();
		contenders.add(new Contender(Report.KAFKA_DR + " restore", null, (run) -> {
			return kafkaDr(List.of("restore", "--backup-id=" + backupId, "--rename=" + topic.name() + "=restored-kafka-dr-" + run,
					"--kafka-dr.storage.location=" + storage, "--spring.kafka.bootstrap-servers=" + bootstrap()));
		}, (run) -> this.data.delete("restored-kafka-dr-" + run), "checks the backup's files first (sizes and SHA-256), decodes every record as it produces it, and validates counts and digests of the restored topic after"));
		boolean kcat = Files.isExecutable(Path.of(KCAT));
		contenders.add(new Contender("kcat -P", kcat ? null : KCAT_INSTALL, (run) -> {
			this.data.create("restored-kcat-" + run, topic.partitions());
			return new TimedCommand(List.of(KCAT, "-P", "-b", bootstrap(), "-t", "restored-kcat-" + run, "-K", "\t", "-l",
					kcatInput.toString()), null, null);
		}, (run) -> this.data.requireAllThenDelete(topic, "restored-kcat-" + run), "produces the same keys and values from a key<TAB>value file"));
		contenders.add(new Contender("ProducerPerformance", null, (run) -> {
			this.data.create("restored-perf-" + run, topic.partitions());
			return TimedCommand.java("256m", this.work, "org.apache.kafka.tools.ProducerPerformance",
					List.of("--topic", "restored-perf-" + run, "--num-records", String.valueOf(topic.records()), "--record-size",
							String.valueOf(Math.round((double) topic.bytes() / topic.records())), "--throughput", "-1",
							"--producer-props", "bootstrap.servers=" + bootstrap()), null);
		}, (run) -> this.data.requireAllThenDelete(topic, "restored-perf-" + run), "random values of the same mean size, no keys: the produce ceiling"));
		return measure("restore " + topic.name(), "restore the backup of `%s` (%,d records) into a new topic".formatted(
				topic.name(), topic.records()), 1.0, "kcat -P", topic, contenders);
	}

	/** Backups of the same topic reading 1, 2 and all partitions at once. */
	private Scenario parallelismScenario(Topic topic, Scenario full) {
		List<Contender> contenders = new ArrayList<>();
		for (int parallelism = 1; parallelism < topic.partitions(); parallelism *= 2) {
			Path storage = this.work.resolve("backups-" + topic.name() + "-p" + parallelism);
			Contender backup = kafkaDrBackup(topic, "raw", storage, parallelism);
			contenders.add(new Contender("parallelism " + parallelism, null, backup.command(), backup.afterTimedRun(), null));
		}
		Scenario measured = measure("backup " + topic.name() + " by parallelism",
				"the backup of `%s` with `kafka-dr.backup.parallelism` 1, 2, … (partitions backed up at once; the last row is the backup above)"
					.formatted(topic.name()), 0, null, topic, contenders);
		List<Row> rows = new ArrayList<>(measured.rows());
		Row all = full.kafkaDr();
		rows.add(new Row("parallelism " + topic.partitions(), null, all.recordsPerSecond(), all.bytesPerRecord(),
				all.recordsPerCpuSecond(), all.peakHeapBytes(), all.liveHeapBytes(), all.peakRssBytes(), null));
		return new Scenario(measured.name(), measured.work(), 0, null, rows);
	}

	/** Backups of the same topic committing every 1, 4 (the default) and 8 MB: the cost of a commit against the heap a chunk takes. */
	private Scenario chunkBytesScenario(Topic topic) {
		List<Contender> contenders = new ArrayList<>();
		for (String size : List.of("1MB", "4MB", "8MB")) {
			Path storage = this.work.resolve("backups-" + topic.name() + "-c" + size);
			Contender backup = kafkaDrBackup(topic, "raw", storage, this.settings.partitions(), true,
					List.of("--kafka-dr.backup.chunk-bytes=" + size));
			contenders.add(new Contender("chunk-bytes " + size, null, backup.command(), backup.afterTimedRun(), null));
		}
		return measure("backup " + topic.name() + " by chunk-bytes",
				"the backup of `%s` with `kafka-dr.backup.chunk-bytes` 1, 4 and 8 MB (a partition commits after that much data)"
					.formatted(topic.name()), 0, null, topic, contenders);
	}

	/** The memory check: backup and restore of a topic of {@code largeBytes}, once each, in the same heap. */
	private Scenario largeScenario(Topic small, Scenario smallBackup) {
		int partitions = this.settings.partitions();
		int size = this.settings.largeRecordBytes();
		long records = Math.max(1, this.settings.largeBytes() / size);
		String name = "large-" + ((size >= 1 << 20) ? (size >> 20) + "m" : (size / 1000) + "k");
		Topic large = this.data.raw(name, partitions, records, size, null);
		Path storage = this.work.resolve("backups-large");
		List<Contender> contenders = List.of(kafkaDrBackup(large, "raw", storage, partitions),
				new Contender(Report.KAFKA_DR + " restore", null,
						(run) -> kafkaDr(List.of("restore", "--backup-id=run-0", "--rename=" + name + "=large-restored",
								"--kafka-dr.storage.location=" + storage, "--spring.kafka.bootstrap-servers=" + bootstrap())),
						(run) -> this.data.delete("large-restored"), null));
		BenchSettings once = new BenchSettings(0, 0, 0, partitions, 1, 0, 0, size, this.settings.heap(), 0, 0, null,
				this.settings.app(), this.settings.scaleOut());
		Scenario scenario = measure("large " + large.name(), "memory check: back up and restore `%s`, %.1f GB of %,d-byte values, with -Xmx%s"
				.formatted(large.name(), large.bytes() / 1e9, size, this.settings.heap()), 0, null, large, contenders, once, LIVE_EVERY);
		this.data.delete(large.name());
		deleteRecursively(storage);
		Row smallRow = smallBackup.kafkaDr();
		Row largeRow = scenario.kafkaDr();
		this.notes.add(("Heap kept alive (largest occupancy after a collection) by kafka-dr's backup: %.0f MB for `%s` (%.2f GB),"
				+ " %.0f MB for `%s` (%.2f GB); peak heap %.0f MB and %.0f MB with -Xmx%s.").formatted(smallRow.liveHeapBytes() / 1e6,
						small.name(), small.bytes() / 1e9, largeRow.liveHeapBytes() / 1e6, large.name(), large.bytes() / 1e9,
						smallRow.peakHeapBytes() / 1e6, largeRow.peakHeapBytes() / 1e6, this.settings.heap()));
		return scenario;
	}

	/** The live heap over a run, first half against second half: a heap that grows with the topic shows here. */
	private static String liveNote(String scenario, String contender, List<Long> samples) {
		int half = samples.size() / 2;
		long first = samples.subList(0, Math.max(half, 1)).stream().mapToLong(Long::longValue).max().orElse(-1);
		long second = samples.subList(half, samples.size()).stream().mapToLong(Long::longValue).max().orElse(-1);
		long min = samples.stream().mapToLong(Long::longValue).min().orElse(-1);
		return ("Live heap of %s in %s (jcmd GC.class_histogram, after a full collection, every %d s, %d samples): %.0f–%.0f MB;"
				+ " largest in the first half of the run %.0f MB, in the second half %.0f MB.").formatted(contender, scenario,
						LIVE_EVERY.toSeconds(), samples.size(), min / 1e6,
						Math.max(first, second) / 1e6, first / 1e6, second / 1e6);
	}

	private Contender kafkaDrBackup(Topic topic, String kind, Path storage, int parallelism) {
		return kafkaDrBackup(topic, kind, storage, parallelism, true, List.of());
	}

	private Contender kafkaDrBackup(Topic topic, String kind, Path storage, int parallelism, boolean aotCache,
			List<String> settings) {
		List<String> base = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + bootstrap(),
				"--kafka-dr.topics." + kind + "=" + topic.name(), "--kafka-dr.storage.location=" + storage,
				"--kafka-dr.consumer-groups=kafka-dr-bench-none", "--kafka-dr.backup.parallelism=" + parallelism));
		base.addAll(settings);
		if (kind.equals("avro")) {
			base.add("--kafka-dr.registry.url=" + this.sandboxes.registry().url());
		}
		IntFunction<TimedCommand> command = (run) -> {
			// Full every time: left to decide, every backup after the first continues the one before (an incremental
			// backup, issue 14) and copies nothing, as the topic has not changed.
			List<String> args = new ArrayList<>(List.of("backup", "--full", "--backup-id=run-" + run));
			args.addAll(base);
			return kafkaDr(args, aotCache);
		};
		IntConsumer verifyThenDelete = (run) -> {
			// Untimed, but every timed backup must pass: speed must not come from skipped work.
			kafkaDr(List.of("verify", "--backup-id=run-" + run, "--kafka-dr.storage.location=" + storage)).run(TIMEOUT);
			if (run > 0) {
				deleteRecursively(storage.resolve("run-" + (run - 1)));
			}
		};
		return new Contender(Report.KAFKA_DR + " backup", null, command, verifyThenDelete, null);
	}

	private Contender kcatConsume(Topic topic) {
		boolean installed = Files.isExecutable(Path.of(KCAT));
		Path out = this.work.resolve("kcat-" + topic.name() + ".json");
		return new Contender("kcat -C -J", installed ? null : KCAT_INSTALL,
				(run) -> new TimedCommand(List.of(KCAT, "-C", "-b", bootstrap(), "-t", topic.name(), "-e", "-J", "-q", "-o",
						"beginning"), out, null),
				(run) -> delete(out), "`kcat -C -e -J -o beginning` into a file");
	}

	private Contender consumerPerformance(Topic topic) {
		return new Contender("ConsumerPerformance", null,
				(run) -> TimedCommand.java("256m", this.work, "org.apache.kafka.tools.ConsumerPerformance",
						List.of("--bootstrap-server", bootstrap(), "--topic", topic.name(), "--messages",
								String.valueOf(topic.records()), "--group", "bench-perf-" + topic.name() + "-" + run,
								"--timeout", "120000"), null),
				(run) -> {
				}, "reads and discards: the fetch ceiling");
	}

	private TimedCommand kafkaDr(List<String> args) {
		return kafkaDr(args, true);
	}

	private TimedCommand kafkaDr(List<String> args, boolean aotCache) {
		List<String> options = new ArrayList<>();
		String recordings = System.getProperty("bench.jfr");
		if (recordings != null) {
			// -Dbench.jfr=DIR: a flight recording of every kafka-dr run, the evidence for where its time goes.
			Path recording = Path.of(recordings).toAbsolutePath().resolve(args.get(0) + "-" + System.nanoTime() + ".jfr");
			try {
				Files.createDirectories(recording.getParent());
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot create " + recording.getParent() + " for -Dbench.jfr", ex);
			}
			options.add("-XX:StartFlightRecording=filename=" + recording + ",settings=profile");
		}
		Path app = this.settings.app();
		if (app == null) {
			// The tests' tiny run, on the test class path: what it proves is that every contender runs.
			options.addAll(ChildProcess.QUICK_START);
			return TimedCommand.java(this.settings.heap(), options, this.work,
					TimedCommand.onClassPath(KafkaDrApplication.class.getName()), args, null);
		}
		// As the image runs it (Dockerfile): with the AOT cache bench/run made, the JVM's warnings on stderr.
		if (aotCache && hasAotCache()) {
			options.add("-XX:AOTCache=" + app.resolve(AOT_CACHE));
		}
		options.addAll(List.of("-Xlog:disable", "-Xlog:all=warning,aot*=error:stderr"));
		return TimedCommand.java(this.settings.heap(), options, this.work,
				List.of("-jar", app.resolve("kafka-dr.jar").toString()), args, null);
	}

	private boolean hasAotCache() {
		return this.settings.app() != null && Files.exists(this.settings.app().resolve(AOT_CACHE));
	}

	private Scenario measure(String name, String work, double target, String peer, Topic topic, List<Contender> contenders) {
		return measure(name, work, target, peer, topic, contenders, this.settings, null);
	}

	/** Runs the contenders in turn, round after round, so that drifting load on the machine hits them alike. */
	private Scenario measure(String name, String work, double target, String peer, Topic topic, List<Contender> contenders,
			BenchSettings repetitions, Duration liveEvery) {
		int rounds = repetitions.warmups() + repetitions.runs();
		List<List<Measurement>> measured = new ArrayList<>();
		contenders.forEach(contender -> measured.add(new ArrayList<>()));
		for (int round = 0; round < rounds; round++) {
			for (int i = 0; i < contenders.size(); i++) {
				Contender contender = contenders.get(i);
				if (contender.missing() != null) {
					continue;
				}
				System.err.printf("[%s] %s: %s, round %d of %d%n", Instant.now(), name, contender.name(), round + 1, rounds);
				Measurement measurement = contender.command().apply(round).run(TIMEOUT, liveEvery);
				if (round >= repetitions.warmups()) {
					measured.get(i).add(measurement);
				}
				if (!measurement.liveSamples().isEmpty()) {
					this.notes.add(liveNote(name, contender.name(), measurement.liveSamples()));
				}
				contender.afterTimedRun().accept(round);
			}
		}
		List<Row> rows = new ArrayList<>();
		for (int i = 0; i < contenders.size(); i++) {
			Contender contender = contenders.get(i);
			if (contender.missing() != null) {
				rows.add(Row.missing(contender.name(), contender.missing()));
				continue;
			}
			List<Measurement> runs = measured.get(i);
			double cpu = runs.stream().mapToDouble(Measurement::cpuSeconds).sum();
			rows.add(new Row(contender.name(), null, runs.stream().map(m -> topic.records() / m.seconds()).toList(),
					(double) topic.bytes() / topic.records(), (cpu > 0) ? topic.records() * runs.size() / cpu : Double.NaN,
					runs.stream().mapToLong(Measurement::peakHeapBytes).max().orElse(-1),
					runs.stream().mapToLong(Measurement::liveHeapBytes).max().orElse(-1),
					runs.stream().mapToLong(Measurement::peakRssBytes).max().orElse(-1), contender.note()));
		}
		return new Scenario(name, work, target, peer, rows);
	}

	private String bootstrap() {
		return this.sandboxes.bootstrapServers();
	}

	static String lastBackupId(Path storage) {
		try (Stream<Path> backups = Files.list(storage)) {
			return backups.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("run-"))
				.max(Comparator.comparingInt(name -> Integer.parseInt(name.substring(4))))
				.orElseThrow(() -> new IllegalStateException("No backup in " + storage));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A contender: the command of each round (built just before it is timed, after any untimed
	 * preparation such as creating its target topic), and what follows each round untimed.
	 *
	 * @param missing the install command of a contender that is not installed, else null
	 */
	record Contender(String name, String missing, IntFunction<TimedCommand> command, IntConsumer afterTimedRun,
			String note) {
	}

	private static void createDirectories(Path directory) {
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void delete(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void deleteRecursively(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
