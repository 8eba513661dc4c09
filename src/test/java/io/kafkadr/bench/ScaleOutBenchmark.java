package io.kafkadr.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kafkadr.bench.Coordination.Fit;
import io.kafkadr.bench.DataSets.Topic;
import io.kafkadr.bench.JobRepositoryCommits.Level;
import io.kafkadr.bench.Report.Row;
import io.kafkadr.bench.Report.Scenario;
import io.kafkadr.bench.Report.Table;
import io.kafkadr.bench.TimedCommand.Measurement;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The scale-out scenario (docs/benchmarks.md, Scale-out): on one topic of many partitions, a
 * backup and a restore in one process with one partition thread (the job repository in H2, as by
 * default, and in PostgreSQL), and with remote partitioning, a manager and 1 or 2 {@code kafka-dr
 * worker} processes of one thread each on PostgreSQL; beside them Kafka's own client tools on the
 * same topic. From the job repository of every run it reads where the time went between the
 * partitions' work (see {@link Coordination}); then it measures the job repository's chunk commits
 * alone ({@link JobRepositoryCommits}), and models more workers from all of it
 * ({@link ScaleOutModel}).
 */
final class ScaleOutBenchmark {

	private static final Duration TIMEOUT = Duration.ofMinutes(30);

	private static final String TOPIC_PREFIX = "scale-";

	/** A worker's log line as it takes a partition ({@code PartitionWorker}). */
	private static final Pattern RUNNING = Pattern.compile("Running (\\S+Partition:\\S+) of");

	/** A worker's log line once it is up ({@code PartitionWorker}). */
	private static final String SERVING = "Worker serving";

	private static final String H2 = "H2";

	private static final String POSTGRES = "PostgreSQL";

	private static final String BACKUP_JOB = "backupJob";

	private static final String RESTORE_JOB = "restoreJob";

	private final BenchSettings settings;

	private final Path work;

	private final DataSets data;

	private final String bootstrap;

	private final Function<List<String>, TimedCommand> kafkaDr;

	private final List<String> notes;

	private final List<Table> tables = new ArrayList<>();

	/** The job repository's PostgreSQL for this run, null when there is none to reach. */
	private Postgres postgres;

	ScaleOutBenchmark(BenchSettings settings, Path work, DataSets data, String bootstrap,
			Function<List<String>, TimedCommand> kafkaDr, List<String> notes) {
		this.settings = settings;
		this.work = work;
		this.data = data;
		this.bootstrap = bootstrap;
		this.kafkaDr = kafkaDr;
		this.notes = notes;
	}

	/** What the scenario measured: its contenders' rows, and its own tables. */
	record Result(List<Scenario> scenarios, List<Table> tables) {
	}

	Result run() {
		BenchSettings.ScaleOut scaleOut = this.settings.scaleOut();
		long loading = System.nanoTime();
		Topic topic = this.data.rawUneven(TOPIC_PREFIX + scaleOut.partitions(), scaleOut.partitions(), scaleOut.records(), 300);
		this.notes.add("Scale-out: loading `%s` (%,d records, %.0f MB, %d partitions of 1 to 4 shares) took %.0f s.".formatted(
				topic.name(), topic.records(), topic.megabytes(), topic.partitions(), (System.nanoTime() - loading) / 1e9));
		this.postgres = Postgres.reach(scaleOut);
		if (this.postgres == null) {
			this.notes.add("Scale-out: no PostgreSQL at " + scaleOut.jdbcUrl() + " (bench.scaleout.jdbc-url): its rows are missing.");
		}
		try {
			Measured backup = measure("scale-out backup " + topic.name(), backupContenders(topic), topic);
			Measured restore = measure("scale-out restore " + topic.name(), restoreContenders(topic), topic);
			List<Level> commits = commits(backup);
			coordinationTable(backup, restore);
			cpuTable(topic, backup, restore);
			if (this.postgres != null) {
				ScaleOutModel.Inputs inputs = ScaleOutModel.Inputs.of(topic, backup, restore, commits,
						this.postgres.maxConnections());
				if (inputs != null) {
					this.tables.addAll(ScaleOutModel.tables(inputs));
				}
			}
			return new Result(List.of(backup.scenario(), restore.scenario()), this.tables);
		}
		finally {
			if (this.postgres != null) {
				this.postgres.drop();
			}
			this.data.delete(topic.name());
		}
	}

	/**
	 * A contender of this scenario: a command, and the workers that run beside it.
	 *
	 * @param slots partitions it runs at once (for {@link Coordination}); 0 for Kafka's tools
	 * @param workers {@code kafka-dr worker} processes started with the command and stopped after it
	 * @param jobRepository H2, PostgreSQL, or null for Kafka's tools
	 * @param job the Spring Batch job it runs, null for Kafka's tools
	 * @param storage its storage location, which holds its job repository when that is H2
	 * @param schema its job repository's schema when that is PostgreSQL
	 * @param command the timed command of a round, built just before it runs
	 * @param workerCommand a worker's command of a round (by round and worker index)
	 * @param afterRun what follows a round untimed
	 */
	record Contender(String name, int slots, int workers, String jobRepository, String job, Path storage,
			String schema, IntFunction<TimedCommand> command, WorkerCommand workerCommand, IntConsumer afterRun, String note) {

		boolean kafkaDr() {
			return this.jobRepository != null;
		}

	}

	interface WorkerCommand {

		TimedCommand of(int round, int worker);

	}

	/**
	 * One round of a contender: the timed command's figures, its workers' (and the CPU seconds each
	 * had used once it served: its start-up), the job as recorded,
	 * PostgreSQL's connections, the rows PostgreSQL counted written to the step-execution table during
	 * the round (updates and inserts), and the lookups of the step-execution-context table (a read of
	 * one step's context each), both from {@code pg_stat_user_tables}; -1 for H2.
	 */
	record Round(Measurement manager, List<Measurement> workers, List<Double> workerStartUpCpu, JobRun job,
			Map<String, Integer> peakConnections, List<Integer> partitionsPerWorker, long stepWrites, long contextReads) {

		double cpuSeconds() {
			return this.manager.cpuSeconds() + this.workers.stream().mapToDouble(Measurement::cpuSeconds).sum();
		}

		long peakRss() {
			return this.workers.stream().mapToLong(Measurement::peakRssBytes).reduce(this.manager.peakRssBytes(), Math::max);
		}

		int connections() {
			return this.peakConnections.getOrDefault(Postgres.ALL, 0);
		}

	}

	/** A scenario's rows and every timed round behind them, by contender. */
	record Measured(Scenario scenario, Map<String, Contender> contenders, Map<String, List<Round>> rounds) {
	}

	private List<Contender> backupContenders(Topic topic) {
		List<Contender> contenders = new ArrayList<>();
		contenders.add(new Contender("ConsumerPerformance", 0, 0, null, null, null, null,
				(run) -> TimedCommand.java("256m", this.work, "org.apache.kafka.tools.ConsumerPerformance",
						List.of("--bootstrap-server", this.bootstrap, "--topic", topic.name(), "--messages",
								String.valueOf(topic.records()), "--group", "bench-scale-" + run + "-" + System.nanoTime(),
								"--timeout", "120000"), null),
				null, (run) -> {
				}, "one Java consumer on all partitions, reading and discarding: the fetch ceiling of one client"));
		contenders.add(localBackup(topic, H2, 1));
		contenders.add(localBackup(topic, H2, 2));
		contenders.add(localBackup(topic, POSTGRES, 1));
		contenders.add(remoteBackup(topic, 1));
		contenders.add(remoteBackup(topic, 2));
		return contenders;
	}

	private Contender localBackup(Topic topic, String repository, int threads) {
		String name = "%s local, %s, %d thread%s".formatted(Report.KAFKA_DR, repository, threads, (threads > 1) ? "s" : "");
		Path storage = storage(name);
		List<String> base = new ArrayList<>(backupPlan(topic, storage));
		base.add("--kafka-dr.backup.parallelism=" + threads);
		String schema = repository.equals(POSTGRES) ? schema() : null;
		base.addAll(jobRepository(schema, "local"));
		return new Contender(name, threads, 0, repository, BACKUP_JOB, storage, schema,
				(run) -> command(List.of("backup", "--full", "--backup-id=run-" + run), base),
				null, verify(storage), null);
	}

	private Contender remoteBackup(Topic topic, int workers) {
		String name = "%s manager + %d worker%s × 1 thread".formatted(Report.KAFKA_DR, workers, (workers > 1) ? "s" : "");
		Path storage = storage(name);
		List<String> plan = new ArrayList<>(backupPlan(topic, storage));
		plan.addAll(remotePlan());
		String schema = schema();
		return new Contender(name, workers, workers, POSTGRES, BACKUP_JOB, storage, schema,
				(run) -> command(List.of("backup", "--full", "--backup-id=run-" + run), with(plan, jobRepository(schema, "manager"))),
				(run, worker) -> command(List.of("worker"), with(plan, jobRepository(schema, "worker-" + worker))),
				verify(storage), null);
	}

	private List<Contender> restoreContenders(Topic topic) {
		Path storage = storage("%s local, %s, %d thread".formatted(Report.KAFKA_DR, H2, 1));
		String backupId = Benchmark.lastBackupId(storage);
		List<Contender> contenders = new ArrayList<>();
		contenders.add(new Contender("ProducerPerformance", 0, 0, null, null, null, null, (run) -> {
			this.data.create("scale-perf-" + run, topic.partitions());
			return TimedCommand.java("256m", this.work, "org.apache.kafka.tools.ProducerPerformance",
					List.of("--topic", "scale-perf-" + run, "--num-records", String.valueOf(topic.records()), "--record-size",
							String.valueOf(Math.round((double) topic.bytes() / topic.records())), "--throughput", "-1",
							"--producer-props", "bootstrap.servers=" + this.bootstrap), null);
		}, null, (run) -> this.data.requireAllThenDelete(topic, "scale-perf-" + run),
				"one Java producer to all partitions, random values of the same mean size, no keys: the produce ceiling of one client"));
		contenders.add(localRestore(topic, storage, backupId, H2, 1));
		contenders.add(localRestore(topic, storage, backupId, H2, 2));
		contenders.add(localRestore(topic, storage, backupId, POSTGRES, 1));
		contenders.add(remoteRestore(topic, storage, backupId, 1));
		contenders.add(remoteRestore(topic, storage, backupId, 2));
		return contenders;
	}

	private Contender localRestore(Topic topic, Path storage, String backupId, String repository, int threads) {
		String name = "%s local, %s, %d thread%s".formatted(Report.KAFKA_DR, repository, threads, (threads > 1) ? "s" : "");
		String target = "scale-restored-" + repository.toLowerCase(Locale.ROOT) + threads + "-";
		List<String> base = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + this.bootstrap,
				"--kafka-dr.storage.location=" + storage, "--kafka-dr.restore.parallelism=" + threads));
		String schema = repository.equals(POSTGRES) ? schema() : null;
		base.addAll(jobRepository(schema, "local"));
		return new Contender(name, threads, 0, repository, RESTORE_JOB, storage, schema,
				(run) -> command(List.of("restore", "--backup-id=" + backupId, "--rename=" + topic.name() + "=" + target + run), base),
				null, (run) -> this.data.requireAllThenDelete(topic, target + run), null);
	}

	private Contender remoteRestore(Topic topic, Path storage, String backupId, int workers) {
		String name = "%s manager + %d worker%s × 1 thread".formatted(Report.KAFKA_DR, workers, (workers > 1) ? "s" : "");
		String target = "scale-restored-remote" + workers + "-";
		List<String> plan = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + this.bootstrap,
				"--kafka-dr.storage.location=" + storage));
		plan.addAll(remotePlan());
		String schema = schema();
		return new Contender(name, workers, workers, POSTGRES, RESTORE_JOB, storage, schema,
				(run) -> command(List.of("restore", "--backup-id=" + backupId, "--rename=" + topic.name() + "=" + target + run),
						with(plan, jobRepository(schema, "manager"))),
				(run, worker) -> command(List.of("worker"), with(plan, jobRepository(schema, "worker-" + worker))),
				(run) -> this.data.requireAllThenDelete(topic, target + run), null);
	}

	/** Backups are full (as in Benchmark): an incremental backup of an unchanged topic would copy nothing. */
	private List<String> backupPlan(Topic topic, Path storage) {
		return List.of("--spring.kafka.bootstrap-servers=" + this.bootstrap, "--kafka-dr.topics.raw=" + topic.name(),
				"--kafka-dr.storage.location=" + storage, "--kafka-dr.consumer-groups=kafka-dr-bench-none");
	}

	/**
	 * What a manager and its workers share besides the plan. A worker runs until it is stopped (after
	 * its manager ends), one partition at a time.
	 */
	private static List<String> remotePlan() {
		return List.of("--kafka-dr.partitioning=remote", "--kafka-dr.worker.threads=1");
	}

	/** A schema of its own for a contender's PostgreSQL job repository; null without PostgreSQL (its rows are missing). */
	private String schema() {
		return (this.postgres != null) ? this.postgres.schema() : null;
	}

	/** The PostgreSQL job repository in {@code schema}, its connections named after the process that opens them. */
	private List<String> jobRepository(String schema, String process) {
		if (schema == null) {
			return List.of();
		}
		return List.of("--spring.datasource.url=" + this.postgres.url(schema, process),
				"--spring.datasource.username=" + this.postgres.username(), "--spring.datasource.password=");
	}

	private TimedCommand command(List<String> command, List<String> settings) {
		return this.kafkaDr.apply(with(command, settings));
	}

	private static List<String> with(List<String> first, List<String> then) {
		List<String> all = new ArrayList<>(first);
		all.addAll(then);
		return all;
	}

	private Path storage(String contender) {
		return this.work.resolve("scale-" + Integer.toHexString(contender.hashCode()));
	}

	/** Untimed, but every timed backup must pass: speed must not come from skipped work. */
	private IntConsumer verify(Path storage) {
		return (run) -> {
			this.kafkaDr.apply(List.of("verify", "--backup-id=run-" + run, "--kafka-dr.storage.location=" + storage))
				.run(TIMEOUT);
			if (run > 0) {
				Benchmark.deleteRecursively(storage.resolve("run-" + (run - 1)));
			}
		};
	}

	/** Runs the contenders in turn, round after round, as the other scenarios do. */
	private Measured measure(String name, List<Contender> contenders, Topic topic) {
		int rounds = this.settings.warmups() + this.settings.runs();
		Map<String, List<Round>> measured = new LinkedHashMap<>();
		Map<String, Contender> byName = new LinkedHashMap<>();
		contenders.forEach(contender -> {
			measured.put(contender.name(), new ArrayList<>());
			byName.put(contender.name(), contender);
		});
		for (int round = 0; round < rounds; round++) {
			for (Contender contender : contenders) {
				if (missing(contender) != null) {
					continue;
				}
				System.err.printf("[%s] %s: %s, round %d of %d%n", Instant.now(), name, contender.name(), round + 1, rounds);
				Round run = runOnce(name, contender, round);
				if (round >= this.settings.warmups()) {
					measured.get(contender.name()).add(run);
				}
				contender.afterRun().accept(round);
			}
		}
		List<Row> rows = new ArrayList<>();
		for (Contender contender : contenders) {
			String missing = missing(contender);
			if (missing != null) {
				rows.add(Row.missing(contender.name(), missing));
				continue;
			}
			List<Round> runs = measured.get(contender.name());
			double cpu = runs.stream().mapToDouble(Round::cpuSeconds).sum();
			rows.add(new Row(contender.name(), null, runs.stream().map(r -> topic.records() / r.manager().seconds()).toList(),
					(double) topic.bytes() / topic.records(), (cpu > 0) ? topic.records() * runs.size() / cpu : Double.NaN,
					runs.stream().mapToLong(r -> r.manager().peakHeapBytes()).max().orElse(-1),
					runs.stream().mapToLong(r -> r.manager().liveHeapBytes()).max().orElse(-1),
					runs.stream().mapToLong(Round::peakRss).max().orElse(-1), contender.note()));
		}
		String work = name.contains("backup")
				? "back up `%s` (%,d records of %.0f MB in %d partitions of 1 to 4 shares), verified afterwards; remote rows: the manager's wall time, CPU of manager and workers"
				: "restore the backup of `%s` (%,d records of %.0f MB in %d partitions) into a new topic; remote rows: the manager's wall time, CPU of manager and workers";
		Scenario scenario = new Scenario(name, work.formatted(topic.name(), topic.records(), topic.megabytes(),
				topic.partitions()), 0, null, rows);
		return new Measured(scenario, byName, measured);
	}

	private String missing(Contender contender) {
		boolean needsPostgres = POSTGRES.equals(contender.jobRepository());
		return (needsPostgres && this.postgres == null) ? "PostgreSQL at " + this.settings.scaleOut().jdbcUrl() : null;
	}

	/**
	 * One round: the workers start first, the timed command once they serve, and the workers are
	 * stopped when it has ended.
	 */
	private Round runOnce(String scenario, Contender contender, int round) {
		boolean postgres = this.postgres != null && POSTGRES.equals(contender.jobRepository());
		long[] before = postgres ? this.postgres.tableCounts(contender.schema()) : null;
		ConnectionSampler sampler = postgres ? this.postgres.sampleConnections(contender.schema()) : null;
		List<TimedCommand.Running> workers = new ArrayList<>();
		try {
			for (int i = 0; i < contender.workers(); i++) {
				workers.add(contender.workerCommand().of(round, i).start());
			}
			List<Double> startUps = awaitServing(workers);
			Instant launched = Instant.now();
			Measurement manager = contender.command().apply(round).run(TIMEOUT);
			List<Measurement> stopped = new ArrayList<>();
			for (TimedCommand.Running worker : workers) {
				stopped.add(worker.stop(Duration.ofMinutes(1)));
			}
			workers.clear();
			keepLogs(scenario, contender, round, launched, manager, stopped);
			Map<String, Integer> connections = (sampler != null) ? sampler.stop() : Map.of();
			sampler = null;
			JobRun job = contender.kafkaDr() ? lastJob(contender) : null;
			List<Integer> perWorker = stopped.stream().map(ScaleOutBenchmark::partitionsRun).toList();
			long[] after = postgres ? this.postgres.tableCounts(contender.schema()) : null;
			return new Round(manager, stopped, startUps, job, connections, perWorker, postgres ? after[0] - before[0] : -1,
					postgres ? after[1] - before[1] : -1);
		}
		finally {
			workers.forEach(worker -> worker.stop(Duration.ofMinutes(1)));
			if (sampler != null) {
				sampler.stop();
			}
		}
	}

	/**
	 * Waits until every worker serves (it logs so once its context is up). On pods, workers start on
	 * cores of their own while the manager starts; here their JVMs' start-up would take the 2 cores
	 * from the manager's and lengthen its time by what no deployment pays, so the manager starts once
	 * they are up, as it does beside long-running workers. Returns the CPU seconds each took to start.
	 */
	private static List<Double> awaitServing(List<TimedCommand.Running> workers) {
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		List<Double> startUps = new ArrayList<>();
		for (TimedCommand.Running worker : workers) {
			while (!worker.outputSoFar().contains(SERVING)) {
				if (!worker.isAlive() || System.nanoTime() > deadline) {
					throw new IllegalStateException("A worker did not start serving:\n" + worker.outputSoFar());
				}
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}
			startUps.add(worker.cpuSecondsSoFar());
		}
		return startUps;
	}

	/**
	 * Every process's log, in {@code <bench.output>/scale-out-logs}: the evidence behind the
	 * coordination table (each line has its time), and what to read when a figure looks wrong.
	 */
	private void keepLogs(String scenario, Contender contender, int round, Instant launched, Measurement manager,
			List<Measurement> workers) {
		Path logs = this.settings.output().resolve("scale-out-logs");
		String prefix = (scenario + " " + shortName(contender.name()) + " round " + round).replaceAll("[^A-Za-z0-9.-]+", "-");
		try {
			Files.createDirectories(logs);
			String header = "# launched " + launched + ", ran " + manager.seconds() + " s\n";
			Files.writeString(logs.resolve(prefix + ".log"), header + manager.output());
			for (int i = 0; i < workers.size(); i++) {
				Files.writeString(logs.resolve(prefix + "-worker-" + i + ".log"), header + workers.get(i).output());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int partitionsRun(Measurement worker) {
		Matcher matcher = RUNNING.matcher(worker.output());
		int count = 0;
		while (matcher.find()) {
			count++;
		}
		return count;
	}

	private JobRun lastJob(Contender contender) {
		if (POSTGRES.equals(contender.jobRepository())) {
			return this.postgres.lastRun(contender.schema(), contender.job());
		}
		// the default job repository: an H2 file in the storage location's .kafka-dr directory
		String url = "jdbc:h2:file:" + contender.storage().resolve(".kafka-dr").resolve("job-repository")
				+ ";ACCESS_MODE_DATA=r";
		try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
			return JobRun.last(connection, contender.job());
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot read the job repository " + url + ": " + ex.getMessage(), ex);
		}
	}

	/** The job repository's chunk commits alone, in H2 and in PostgreSQL, with a real partition's context. */
	private List<Level> commits(Measured backup) {
		List<Level> levels = new ArrayList<>();
		Duration each = (this.settings.runs() > 1) ? Duration.ofSeconds(3) : Duration.ofMillis(300);
		// the backup's own job repository: the measurement writes an instance of its own there, after the runs
		String schema = backup.contenders().values().stream()
			.filter(contender -> POSTGRES.equals(contender.jobRepository()) && contender.workers() == 0)
			.map(Contender::schema)
			.filter(name -> name != null)
			.findFirst()
			.orElse(null);
		ExecutionContext context = (schema != null) ? this.postgres.partitionContext(schema) : new ExecutionContext();
		Path h2 = this.work.resolve("commits-h2");
		Benchmark.deleteRecursively(h2);
		levels.addAll(JobRepositoryCommits.measure(H2, "jdbc:h2:file:" + h2.resolve("job-repository") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0",
				"sa", "H2", "schema-h2.sql", context, List.of(1, 2, 4), each));
		if (schema != null) {
			String url = this.postgres.url(schema, "commits");
			int free = JobRepositoryCommits.freeConnections(url, this.postgres.username());
			List<Integer> threads = new ArrayList<>();
			for (int count = 1; count <= 32; count *= 2) {
				// the server may be shared (other test runs): leave room for everyone else's connections
				if (count <= free - 30) {
					threads.add(count);
				}
			}
			if (threads.size() < 6) {
				this.notes.add("Scale-out: PostgreSQL had %d free connections, so the commit levels stop at %s.".formatted(free,
						threads.isEmpty() ? "none" : threads.get(threads.size() - 1) + " threads"));
			}
			levels.addAll(JobRepositoryCommits.measure(POSTGRES, url, this.postgres.username(), "POSTGRES", null, context,
					threads, each));
			String[] row = this.postgres.partitionContextRow(schema);
			List<Level> pgbench = JobRepositoryCommits.pgbench(this.postgres.baseUrl(), this.postgres.username(),
					this.postgres.schema(), row[0], row[1], threads, each, this.work);
			if (pgbench != null) {
				levels.addAll(pgbench);
			}
			else {
				this.notes.add("Scale-out: pgbench is not installed (apt-get install -y postgresql-client): its commit rows are missing.");
			}
			this.notes.add("Scale-out: opening and closing a PostgreSQL connection (as a worker does at each look at the"
					+ " queue) takes %.1f ms here (median of 50).".formatted(
							JobRepositoryCommits.connectMillis(this.postgres.url(schema, "connect"), this.postgres.username(), 50)));
		}
		List<List<String>> rows = levels.stream()
			.map(level -> List.of(level.database(), String.valueOf(level.threads()),
					"%,.0f".formatted(level.commitsPerSecond()), "%.2f".formatted(level.medianMillis()),
					Double.isNaN(level.p99Millis()) ? "–" : "%.2f".formatted(level.p99Millis())))
			.toList();
		this.tables.add(new Table("Scale-out: job-repository chunk commits",
				List.of("job repository", "partitions committing at once", "commits/s", "ms per commit, median", "p99"),
				rows, ("Spring Batch's JdbcJobRepository alone: a chunk commit's transaction (the step's execution context,"
						+ " then the step execution) in a loop per thread, with the execution context of a partition of the backup"
						+ " above, for %.1f s per level. H2 as kafka-dr opens it (a file, WRITE_DELAY=0); PostgreSQL on this"
						+ " machine, shared with the benchmark. \"PostgreSQL, pgbench\": the same statements from pgbench"
						+ " (prepared, one connection per client, average latency), the server's capacity with a client"
						+ " that costs little CPU.").formatted(each.toMillis() / 1000.0)));
		return levels;
	}

	/** Per contender, per partitioned step: the medians over the timed rounds. */
	private void coordinationTable(Measured... scenarios) {
		List<List<String>> rows = new ArrayList<>();
		List<List<String>> fits = new ArrayList<>();
		for (Measured measured : scenarios) {
			String operation = measured.scenario().name().contains("backup") ? "backup" : "restore";
			measured.rounds().forEach((name, rounds) -> {
				Contender contender = measured.contenders().get(name);
				if (!contender.kafkaDr() || rounds.isEmpty()) {
					return;
				}
				Map<String, List<Coordination>> bySteps = new LinkedHashMap<>();
				Map<String, List<JobRun.Partition>> partitions = new LinkedHashMap<>();
				for (Round round : rounds) {
					for (JobRun.PartitionedStep step : round.job().steps()) {
						bySteps.computeIfAbsent(step.name(), key -> new ArrayList<>()).add(Coordination.of(step, contender.slots()));
						partitions.computeIfAbsent(step.name(), key -> new ArrayList<>()).addAll(step.partitions());
					}
				}
				double wall = Coordination.median(rounds.stream().map(r -> r.manager().seconds()).toList());
				double job = Coordination.median(rounds.stream().map(r -> r.job().seconds()).toList());
				bySteps.forEach((step, coordinations) -> {
					rows.add(List.of(operation, shortName(name), step,
							"%.2f".formatted(wall), "%.2f".formatted(job),
							"%.2f".formatted(Coordination.median(coordinations.stream().map(Coordination::seconds).toList())),
							"%.3f".formatted(Coordination.median(coordinations.stream().map(Coordination::managerSetup).toList())),
							"%.3f".formatted(Coordination.median(coordinations.stream().map(Coordination::firstStart).toList())),
							"%.3f".formatted(Coordination.median(coordinations.stream().flatMap(c -> c.handovers().stream()).toList())),
							"%.3f".formatted(Coordination.mean(coordinations.stream().flatMap(c -> c.handovers().stream()).toList())),
							"%.3f".formatted(Coordination.median(coordinations.stream().map(Coordination::endNotice).toList())),
							"%.3f (%.3f–%.3f)".formatted(
									Coordination.median(coordinations.stream().flatMap(c -> c.durations().stream()).toList()),
									coordinations.stream().flatMap(c -> c.durations().stream()).mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
									Coordination.max(coordinations.stream().flatMap(c -> c.durations().stream()).toList())),
							"%.0f %%".formatted(100 * Coordination.median(coordinations.stream().map(Coordination::busyShare).toList())),
							"%.1f".formatted((double) coordinations.stream().mapToLong(Coordination::commits).sum()
									/ partitions.get(step).size()),
							perPartition(rounds, Round::stepWrites), perPartition(rounds, Round::contextReads),
							connections(rounds), partitionsPerWorker(rounds)));
					Fit fit = Fit.of(partitions.get(step));
					fits.add(List.of(operation, shortName(name), step, String.valueOf(fit.points()),
							Double.isNaN(fit.fixedSeconds()) ? "–" : "%.3f".formatted(fit.fixedSeconds()),
							"%,.0f".formatted(fit.itemsPerSecond())));
				});
			});
		}
		this.tables.add(new Table("Scale-out: coordination, per partitioned step",
				List.of("operation", "contender", "step", "wall s", "job s", "step s", "manager setup s", "first start s",
						"handover s, median", "handover s, mean", "end noticed s", "partition s, median (min–max)",
						"busy", "commits per partition", "step-row writes per partition", "context reads per partition",
						"PostgreSQL connections, peak (per process)",
						"partitions per worker"),
				rows, "Medians over the timed rounds, from the job repository's step executions (created, started, ended):"
						+ " manager setup = manager step start → last partition execution created; first start = → first"
						+ " partition started; handover = a slot's partition ended → its next started (slots reconstructed,"
						+ " see Coordination.java); end noticed = last partition ended → manager step ended; busy = partition time"
						+ " ÷ (slots × step time). Step-row writes: rows updated or inserted in BATCH_STEP_EXECUTION during the"
						+ " run, context reads: scans of BATCH_STEP_EXECUTION_CONTEXT less its updates (a step context read each), both from"
						+ " pg_stat_user_tables, per partition of the job. Connections sampled every 100 ms from"
						+ " pg_stat_activity."));
		this.tables.add(new Table("Scale-out: a partition's fixed cost and streaming rate",
				List.of("operation", "contender", "step", "partitions", "fixed s per partition", "items/s once streaming"),
				fits, "Least squares of every timed partition's duration against what it read (records; segment lines"
						+ " for verification), over partitions of 1 to 4 shares."));
	}

	/** Where the CPU of a run goes: the manager (or the one process), the workers, their start-ups. */
	private void cpuTable(Topic topic, Measured... scenarios) {
		List<List<String>> rows = new ArrayList<>();
		for (Measured measured : scenarios) {
			String operation = measured.scenario().name().contains("backup") ? "backup" : "restore";
			measured.rounds().forEach((name, rounds) -> {
				if (rounds.isEmpty() || !measured.contenders().get(name).kafkaDr()) {
					return;
				}
				double manager = Coordination.median(rounds.stream().map(r -> r.manager().cpuSeconds()).toList());
				double workers = Coordination.median(rounds.stream()
					.map(r -> r.workers().stream().mapToDouble(Measurement::cpuSeconds).sum())
					.toList());
				double startUps = Coordination.median(rounds.stream()
					.map(r -> r.workerStartUpCpu().stream().mapToDouble(Double::doubleValue).sum())
					.toList());
				rows.add(List.of(operation, shortName(name),
						"%.2f".formatted(Coordination.median(rounds.stream().map(r -> r.manager().seconds()).toList())),
						"%.1f".formatted(manager), "%.1f".formatted(workers), "%.1f".formatted(startUps),
						"%,.0f".formatted(topic.records() / (manager + workers - startUps))));
			});
		}
		this.tables.add(new Table("Scale-out: CPU per run",
				List.of("operation", "contender", "wall s", "CPU s, the manager (local: the process)", "CPU s, workers",
						"of which their start-up", "records per CPU s, worker start-ups left out"),
				rows, "Medians over the timed rounds; CPU is user + system (GNU time); a worker's start-up is the CPU its"
						+ " JVM had used when it logged that it serves (/proc/<pid>/stat). The broker runs in the benchmark's"
						+ " JVM, on the same 2 cores, and is not counted."));
	}

	/** One of PostgreSQL's counts of a round, per partition of the job (any step). */
	private static String perPartition(List<Round> rounds, ToLongFunction<Round> count) {
		if (count.applyAsLong(rounds.get(0)) < 0) {
			return "–";
		}
		return "%.1f".formatted(Coordination.median(rounds.stream()
			.map(r -> (double) count.applyAsLong(r) / r.job().steps().stream().mapToInt(s -> s.partitions().size()).sum())
			.toList()));
	}

	private static String connections(List<Round> rounds) {
		if (rounds.stream().allMatch(r -> r.peakConnections().isEmpty())) {
			return "–";
		}
		int total = rounds.stream().mapToInt(Round::connections).max().orElse(0);
		Map<String, Integer> perProcess = new LinkedHashMap<>();
		for (Round round : rounds) {
			round.peakConnections().forEach((process, count) -> {
				if (!process.equals(Postgres.ALL)) {
					perProcess.merge(process, count, Math::max);
				}
			});
		}
		List<String> parts = perProcess.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList();
		return total + " (" + String.join(", ", parts) + ")";
	}

	private static String partitionsPerWorker(List<Round> rounds) {
		if (rounds.get(0).partitionsPerWorker().isEmpty()) {
			return "–";
		}
		return String.join("; ", rounds.stream()
			.map(r -> String.join("+", r.partitionsPerWorker().stream().map(String::valueOf).toList()))
			.toList());
	}

	static String shortName(String contender) {
		return contender.startsWith(Report.KAFKA_DR + " ") ? contender.substring(Report.KAFKA_DR.length() + 1) : contender;
	}

	/**
	 * The scenario's PostgreSQL: a schema of its own per contender (as two deployments would not
	 * share a job repository, and backup ids repeat from one contender to the next), all dropped at
	 * the end; connections are named after the process that opens them ({@code ApplicationName}) so
	 * that they can be counted.
	 */
	static final class Postgres {

		static final String ALL = "all";

		private final String url;

		private final String username;

		private final String prefix;

		private final List<String> schemas = new ArrayList<>();

		private Postgres(String url, String username, String prefix) {
			this.url = url;
			this.username = username;
			this.prefix = prefix;
		}

		/** The configured database, or null when it cannot be reached. */
		static Postgres reach(BenchSettings.ScaleOut settings) {
			try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.username(), "")) {
				connection.isValid(5);
			}
			catch (SQLException ex) {
				return null;
			}
			return new Postgres(settings.jdbcUrl(), settings.username(),
					"kafka_dr_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_");
		}

		/** A new schema, {@code <prefix><n>}. */
		synchronized String schema() {
			String schema = this.prefix + this.schemas.size();
			try (Connection connection = DriverManager.getConnection(this.url, this.username, "");
					Statement statement = connection.createStatement()) {
				statement.execute("create schema " + schema);
			}
			catch (SQLException ex) {
				throw new IllegalStateException("Cannot create the schema " + schema + ": " + ex.getMessage(), ex);
			}
			this.schemas.add(schema);
			return schema;
		}

		String url(String schema, String process) {
			return this.url + (this.url.contains("?") ? "&" : "?") + "currentSchema=" + schema + "&ApplicationName="
					+ schema + "-" + process;
		}

		String username() {
			return this.username;
		}

		JobRun lastRun(String schema, String job) {
			try (Connection connection = DriverManager.getConnection(url(schema, "reader"), this.username, "")) {
				return JobRun.last(connection, job);
			}
			catch (SQLException ex) {
				throw new IllegalStateException("Cannot read the job repository: " + ex.getMessage(), ex);
			}
		}

		/** The execution context of the last backup partition in {@code schema}, as its last commit left it. */
		ExecutionContext partitionContext(String schema) {
			return JobRepositoryCommits.contextOf(url(schema, "reader"), this.username, "POSTGRES", lastPartition(schema));
		}

		/** The same as stored: its short and its serialized (null unless it is long) form. */
		String[] partitionContextRow(String schema) {
			try (Connection connection = DriverManager.getConnection(url(schema, "reader"), this.username, "");
					PreparedStatement statement = connection.prepareStatement("select SHORT_CONTEXT, SERIALIZED_CONTEXT"
							+ " from BATCH_STEP_EXECUTION_CONTEXT where STEP_EXECUTION_ID = ?")) {
				statement.setLong(1, lastPartition(schema));
				try (ResultSet result = statement.executeQuery()) {
					result.next();
					return new String[] { result.getString(1), result.getString(2) };
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException("Cannot read the job repository: " + ex.getMessage(), ex);
			}
		}

		private long lastPartition(String schema) {
			try (Connection connection = DriverManager.getConnection(url(schema, "reader"), this.username, "");
					Statement statement = connection.createStatement();
					ResultSet result = statement.executeQuery("select max(STEP_EXECUTION_ID) from BATCH_STEP_EXECUTION"
							+ " where STEP_NAME like 'internalTopicsPartition:%'")) {
				result.next();
				return result.getLong(1);
			}
			catch (SQLException ex) {
				throw new IllegalStateException("Cannot read the job repository: " + ex.getMessage(), ex);
			}
		}

		String baseUrl() {
			return this.url;
		}

		int maxConnections() {
			try (Connection connection = DriverManager.getConnection(this.url, this.username, "");
					Statement statement = connection.createStatement();
					ResultSet result = statement.executeQuery("select current_setting('max_connections')::int")) {
				result.next();
				return result.getInt(1);
			}
			catch (SQLException ex) {
				throw new IllegalStateException("Cannot read max_connections: " + ex.getMessage(), ex);
			}
		}

		/**
		 * The rows written to the step-execution table of {@code schema} so far, and the reads of its
		 * step-execution-context table (its scans less its updates, each of which finds its row by a
		 * scan), as PostgreSQL's statistics count them (a process's counts arrive by the time it has ended).
		 */
		long[] tableCounts(String schema) {
			try (Connection connection = DriverManager.getConnection(url(schema, "reader"), this.username, "");
					PreparedStatement statement = connection.prepareStatement("select coalesce(sum(n_tup_upd + n_tup_ins)"
							+ " filter (where relname = 'batch_step_execution'), 0), coalesce(sum(coalesce(idx_scan, 0) + seq_scan - n_tup_upd)"
							+ " filter (where relname = 'batch_step_execution_context'), 0) from pg_stat_user_tables"
							+ " where schemaname = ?")) {
				statement.setString(1, schema);
				try (ResultSet result = statement.executeQuery()) {
					result.next();
					return new long[] { result.getLong(1), result.getLong(2) };
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException("Cannot read PostgreSQL's statistics: " + ex.getMessage(), ex);
			}
		}

		ConnectionSampler sampleConnections(String schema) {
			return new ConnectionSampler(this, schema);
		}

		void drop() {
			try (Connection connection = DriverManager.getConnection(this.url, this.username, "");
					Statement statement = connection.createStatement()) {
				for (String schema : this.schemas) {
					statement.execute("drop schema if exists " + schema + " cascade");
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException("Cannot drop the schemas " + this.schemas + ": " + ex.getMessage(), ex);
			}
		}

	}

	/** The most connections each process of a round held at once, sampled every 100 ms from pg_stat_activity. */
	static final class ConnectionSampler {

		private final AtomicBoolean stop = new AtomicBoolean();

		private final Map<String, Integer> peaks = new HashMap<>();

		private final Thread thread;

		ConnectionSampler(Postgres postgres, String schema) {
			this.thread = Thread.ofPlatform().daemon().name("pg-connections").start(() -> {
				try (Connection connection = DriverManager.getConnection(postgres.url, postgres.username, "");
						PreparedStatement statement = connection.prepareStatement("select application_name, count(*)"
								+ " from pg_stat_activity where application_name like ? group by application_name")) {
					statement.setString(1, schema + "-%");
					while (!this.stop.get()) {
						int total = 0;
						try (ResultSet result = statement.executeQuery()) {
							while (result.next()) {
								String process = result.getString(1).substring(schema.length() + 1);
								if (!process.equals("reader")) {
									int count = result.getInt(2);
									total += count;
									synchronized (this.peaks) {
										this.peaks.merge(process, count, Math::max);
									}
								}
							}
						}
						synchronized (this.peaks) {
							this.peaks.merge(Postgres.ALL, total, Math::max);
						}
						Thread.sleep(100);
					}
				}
				catch (SQLException ex) {
					throw new IllegalStateException("Cannot sample PostgreSQL's connections: " + ex.getMessage(), ex);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		}

		Map<String, Integer> stop() {
			this.stop.set(true);
			try {
				this.thread.join();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			synchronized (this.peaks) {
				return new LinkedHashMap<>(this.peaks);
			}
		}

	}

}
