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
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a job repository's database takes of the write a partition makes at every chunk commit:
 * Spring Batch's own {@code JdbcJobRepository}, in one transaction per commit, writing the step's
 * execution context and then the step execution (which also reads the job's status), exactly as a
 * chunk-oriented step does after each chunk, with the execution context of a real partition of the
 * scale-out run. Measured with 1, 2, 4, … threads at once, each on its own partition, as that many
 * partitions running on workers commit at once: the rate the database sustains is where the job
 * repository bounds a scale-out.
 */
final class JobRepositoryCommits {

	/**
	 * One concurrency level.
	 *
	 * @param threads partitions committing at once
	 * @param commitsPerSecond all threads' commits over the level's time
	 * @param medianMillis one commit's time, as a thread sees it
	 */
	record Level(String database, int threads, double commitsPerSecond, double medianMillis, double p99Millis) {
	}

	private static final Path PGBENCH = Path.of("/usr/bin/pgbench");

	private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^:/?]+):(\\d+)/([^?]+)(\\?.*)?");

	private static final Pattern PGBENCH_TPS = Pattern.compile("tps = ([\\d.]+)");

	private static final Pattern PGBENCH_LATENCY = Pattern.compile("latency average = ([\\d.]+) ms");

	private JobRepositoryCommits() {
	}

	/** The levels of {@code threads} on a job repository whose tables exist (or, with {@code schema}, are created first). */
	static List<Level> measure(String database, String url, String username, String databaseType, String schema,
			ExecutionContext context, List<Integer> threads, Duration each) {
		int most = threads.stream().mapToInt(Integer::intValue).max().orElse(1);
		try (HikariDataSource dataSource = new HikariDataSource()) {
			dataSource.setJdbcUrl(url);
			dataSource.setUsername(username);
			dataSource.setPassword("");
			dataSource.setMaximumPoolSize(most);
			dataSource.setMinimumIdle(0);
			if (schema != null) {
				new ResourceDatabasePopulator(new ClassPathResource("org/springframework/batch/core/" + schema))
					.execute(dataSource);
			}
			JdbcTransactionManager transactions = new JdbcTransactionManager(dataSource);
			JobRepository repository = repository(dataSource, transactions, databaseType);
			List<Level> levels = new ArrayList<>();
			for (int count : threads) {
				levels.add(level(database, repository, new TransactionTemplate(transactions), context, count, each));
			}
			return levels;
		}
	}

	/** A partition's execution context as it was committed: what each commit of the measurement writes. */
	static ExecutionContext contextOf(String url, String username, String databaseType, long stepExecutionId) {
		try (HikariDataSource dataSource = new HikariDataSource()) {
			dataSource.setJdbcUrl(url);
			dataSource.setUsername(username);
			dataSource.setPassword("");
			dataSource.setMaximumPoolSize(1);
			StepExecution step = repository(dataSource, new JdbcTransactionManager(dataSource), databaseType)
				.getStepExecution(stepExecutionId);
			if (step == null) {
				throw new IllegalStateException("No step execution " + stepExecutionId + " in " + url);
			}
			return step.getExecutionContext();
		}
	}

	/**
	 * The same transaction's statements from {@code pgbench} (one connection per client, a client in
	 * C that costs the machine little): what the server itself sustains, in a schema of its own with
	 * one step execution per client whose context row holds {@code shortContext} and
	 * {@code serializedContext} (a real partition's). Null when pgbench is not installed.
	 */
	static List<Level> pgbench(String jdbcUrl, String username, String schema, String shortContext,
			String serializedContext, List<Integer> clients,
			Duration each, Path work) {
		if (!Files.isExecutable(PGBENCH)) {
			return null;
		}
		Matcher url = JDBC_URL.matcher(jdbcUrl);
		if (!url.matches()) {
			throw new IllegalArgumentException("Not a jdbc:postgresql://host:port/database URL: " + jdbcUrl);
		}
		int most = clients.stream().mapToInt(Integer::intValue).max().orElse(1);
		String inSchema = jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
		try (Connection connection = DriverManager.getConnection(inSchema, username, "")) {
			new ResourceDatabasePopulator(new ClassPathResource("org/springframework/batch/core/schema-postgresql.sql"))
				.populate(connection);
			try (Statement statement = connection.createStatement()) {
				statement.execute("insert into BATCH_JOB_INSTANCE values (1, 0, 'bench-commits', 'pgbench')");
				statement.execute("insert into BATCH_JOB_EXECUTION (JOB_EXECUTION_ID, VERSION, JOB_INSTANCE_ID, CREATE_TIME,"
						+ " START_TIME, STATUS) values (1, 1, 1, now(), now(), 'STARTED')");
			}
			try (PreparedStatement step = connection.prepareStatement("insert into BATCH_STEP_EXECUTION (STEP_EXECUTION_ID,"
					+ " VERSION, STEP_NAME, JOB_EXECUTION_ID, CREATE_TIME, START_TIME, STATUS, COMMIT_COUNT) values"
					+ " (?, 1, ?, 1, now(), now(), 'STARTED', 0)");
					PreparedStatement stepContext = connection.prepareStatement(
							"insert into BATCH_STEP_EXECUTION_CONTEXT values (?, ?, ?)")) {
				for (int id = 1; id <= most; id++) {
					step.setLong(1, id);
					step.setString(2, "commitsPartition:" + id);
					step.executeUpdate();
					stepContext.setLong(1, id);
					stepContext.setString(2, shortContext);
					stepContext.setString(3, serializedContext);
					stepContext.executeUpdate();
				}
			}
			Path script = work.resolve("chunk-commit.sql");
			// what JdbcJobRepository sends for updateExecutionContext and update(StepExecution): the context row,
			// the step row (its counts, version and time), the job's version (has it been stopped?)
			Files.writeString(script, """
					BEGIN;
					UPDATE BATCH_STEP_EXECUTION_CONTEXT SET SHORT_CONTEXT = SHORT_CONTEXT, SERIALIZED_CONTEXT = SERIALIZED_CONTEXT WHERE STEP_EXECUTION_ID = :client_id + 1;
					UPDATE BATCH_STEP_EXECUTION SET COMMIT_COUNT = COMMIT_COUNT + 1, READ_COUNT = READ_COUNT, VERSION = VERSION + 1, LAST_UPDATED = now() WHERE STEP_EXECUTION_ID = :client_id + 1;
					SELECT VERSION FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = 1;
					END;
					""");
			List<Level> levels = new ArrayList<>();
			for (int count : clients) {
				ProcessBuilder builder = new ProcessBuilder(PGBENCH.toString(), "-n", "-M", "prepared", "-c", String.valueOf(count),
						"-j", String.valueOf(Math.min(count, 2)), "-T", String.valueOf(Math.max(1, each.toSeconds())), "-f",
						script.toString(), "-h", url.group(1), "-p", url.group(2), "-U", username, url.group(3))
					.redirectErrorStream(true);
				builder.environment().put("PGOPTIONS", "-c search_path=" + schema);
				Process process = builder.start();
				String output = new String(process.getInputStream().readAllBytes());
				if (process.waitFor() != 0) {
					throw new IllegalStateException("pgbench failed:\n" + output);
				}
				Matcher tps = PGBENCH_TPS.matcher(output);
				Matcher latency = PGBENCH_LATENCY.matcher(output);
				if (!tps.find() || !latency.find()) {
					throw new IllegalStateException("Cannot read pgbench's figures:\n" + output);
				}
				levels.add(new Level("PostgreSQL, pgbench", count, Double.parseDouble(tps.group(1)),
						Double.parseDouble(latency.group(1)), Double.NaN));
			}
			return levels;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot set up pgbench's tables in " + schema + ": " + ex.getMessage(), ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The median time to open and close a connection, which a worker does at each look at the queue. */
	static double connectMillis(String url, String username, int times) {
		List<Double> millis = new ArrayList<>();
		try {
			for (int i = 0; i < times; i++) {
				long start = System.nanoTime();
				try (Connection connection = DriverManager.getConnection(url, username, "")) {
					connection.isValid(5);
				}
				millis.add((System.nanoTime() - start) / 1e6);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot connect to " + url + ": " + ex.getMessage(), ex);
		}
		return Coordination.median(millis);
	}

	/** How many more connections the server takes now, of its {@code max_connections}. */
	static int freeConnections(String url, String username) {
		try (Connection connection = DriverManager.getConnection(url, username, "");
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("select current_setting('max_connections')::int"
						+ " - current_setting('superuser_reserved_connections')::int - (select count(*) from pg_stat_activity"
						+ " where backend_type = 'client backend')")) {
			result.next();
			return result.getInt(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot connect to " + url + ": " + ex.getMessage(), ex);
		}
	}

	private static JobRepository repository(DataSource dataSource, JdbcTransactionManager transactions,
			String databaseType) {
		try {
			JdbcJobRepositoryFactoryBean factory = new JdbcJobRepositoryFactoryBean();
			factory.setDataSource(dataSource);
			factory.setTransactionManager(transactions);
			factory.setDatabaseType(databaseType);
			factory.afterPropertiesSet();
			return factory.getObject();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot set up a job repository: " + ex.getMessage(), ex);
		}
	}

	private static Level level(String database, JobRepository repository, TransactionTemplate transaction,
			ExecutionContext context, int threads, Duration each) {
		JobParameters parameters = new JobParametersBuilder().addLong("level", System.nanoTime()).toJobParameters();
		JobInstance instance = repository.createJobInstance("bench-commits", parameters);
		JobExecution job = repository.createJobExecution(instance, parameters, new ExecutionContext());
		job.setStatus(BatchStatus.STARTED);
		job.setStartTime(LocalDateTime.now());
		repository.update(job);
		List<StepExecution> partitions = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			StepExecution partition = repository.createStepExecution("commitsPartition:" + i, job);
			for (Map.Entry<String, Object> entry : context.entrySet()) {
				partition.getExecutionContext().put(entry.getKey(), entry.getValue());
			}
			partition.setStatus(BatchStatus.STARTED);
			partition.setStartTime(LocalDateTime.now());
			repository.update(partition);
			repository.updateExecutionContext(partition);
			partitions.add(partition);
		}
		AtomicBoolean counting = new AtomicBoolean();
		AtomicBoolean stop = new AtomicBoolean();
		CountDownLatch done = new CountDownLatch(threads);
		List<List<Double>> millis = new ArrayList<>();
		List<Thread> workers = new ArrayList<>();
		for (StepExecution partition : partitions) {
			List<Double> own = new ArrayList<>();
			millis.add(own);
			workers.add(Thread.ofPlatform().start(() -> {
				try {
					long chunk = 0;
					while (!stop.get()) {
						long start = System.nanoTime();
						long committed = ++chunk;
						transaction.executeWithoutResult(status -> {
							// what a chunk changes: the partition's progress in its context, its counts
							partition.getExecutionContext().putLong("bench.chunk", committed);
							partition.incrementCommitCount();
							repository.updateExecutionContext(partition);
							repository.update(partition);
						});
						if (counting.get()) {
							own.add((System.nanoTime() - start) / 1e6);
						}
					}
				}
				finally {
					done.countDown();
				}
			}));
		}
		try {
			// a tenth of the time as warm-up: connections opened, statements prepared, the JIT at work
			Thread.sleep(Math.max(1, each.toMillis() / 10));
			counting.set(true);
			long start = System.nanoTime();
			Thread.sleep(each.toMillis());
			counting.set(false);
			double seconds = (System.nanoTime() - start) / 1e9;
			stop.set(true);
			done.await();
			for (Thread worker : workers) {
				worker.join();
			}
			List<Double> all = millis.stream().flatMap(List::stream).sorted().toList();
			double p99 = all.isEmpty() ? Double.NaN : all.get(Math.min(all.size() - 1, (int) Math.ceil(all.size() * 0.99) - 1));
			for (StepExecution partition : partitions) {
				partition.setStatus(BatchStatus.COMPLETED);
				partition.setEndTime(LocalDateTime.now());
				repository.update(partition);
			}
			job.setStatus(BatchStatus.COMPLETED);
			job.setEndTime(LocalDateTime.now());
			repository.update(job);
			return new Level(database, threads, all.size() / seconds, Coordination.median(all), p99);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
