package io.kafkadr.restore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.testing.ChildProcess;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.SameBackup;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.BulkData;
import io.kafkadr.testing.SourceAndTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Remote partitioning end to end: a backup and then a restore, each run by a manager process
 * ({@code kafka-dr.partitioning=remote}) and three {@code kafka-dr worker} processes sharing a
 * PostgreSQL job repository. In each, one worker is SIGKILLed while it runs a partition (another
 * worker takes the partition and resumes it), then the manager is SIGKILLed and run again. The
 * backup holds exactly the records of a backup taken in one process, and the restored cluster
 * exactly the source's records.
 */
@Tag("integration")
class RemotePartitioningTest {

	private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

	private static final String SCHEMA = "kafka_dr_" + UUID.randomUUID().toString().replace("-", "");

	private static final int PER_PARTITION = 50_000;

	private static final int CDC_PARTITIONS = 6;

	private static final int RAW_PARTITIONS = 2;

	private static final long RECORDS = (long) (CDC_PARTITIONS + RAW_PARTITIONS) * PER_PARTITION;

	private static final Pattern RUNNING = Pattern.compile("Running ((?:internal|cdc)TopicsPartition:\\S+) of");

	private static Sandboxes source;

	private static Sandboxes target;

	@TempDir
	static Path storage;

	@TempDir
	static Path reference;

	/** Every process the test started: none outlives it, whatever it asserted. */
	private final List<ChildProcess> children = new ArrayList<>();

	@BeforeAll
	static void start() throws SQLException {
		SourceAndTarget clusters = SourceAndTarget.start();
		source = clusters.source();
		target = clusters.target();
		BulkData.avro(source.bootstrapServers(), source.registryClient(), "cdc.events", CDC_PARTITIONS, PER_PARTITION);
		BulkData.raw(source.bootstrapServers(), "connect-offsets", RAW_PARTITIONS, PER_PARTITION);
		try (Connection connection = DriverManager.getConnection(URL, "postgres", "")) {
			connection.createStatement().execute("CREATE SCHEMA " + SCHEMA);
		}
	}

	@AfterAll
	static void stop() throws SQLException {
		source.close();
		target.close();
		try (Connection connection = DriverManager.getConnection(URL, "postgres", "")) {
			connection.createStatement().execute("DROP SCHEMA " + SCHEMA + " CASCADE");
		}
	}

	@AfterEach
	void killChildren() {
		this.children.stream().filter(ChildProcess::isAlive).forEach(ChildProcess::kill);
	}

	@Test
	void backupAndRestoreOnWorkersSurviveAKilledWorkerAndAKilledManager() {
		CommandRun local = CommandRun.of(source.properties(reference, "--kafka-dr.topics.avro=cdc\\..*",
				"--kafka-dr.topics.raw=connect-offsets"), "backup", "--backup-id", "nightly");
		assertThat(local.exitCode()).as(local.toString()).isZero();

		List<String> backupPlan = plan(source, "--kafka-dr.topics.avro=cdc\\..*", "--kafka-dr.topics.raw=connect-offsets",
				"--kafka-dr.backup.chunk-size=100");
		runWithKills(backupPlan, List.of("backup", "--backup-id", "nightly"),
				() -> Files.exists(storage.resolve("nightly").resolve(BackupDirectory.MANIFEST)));
		SameBackup.assertSameRecords(new BackupStorage(reference).backup("nightly"),
				new BackupStorage(storage).backup("nightly"), RECORDS);

		List<String> restorePlan = plan(target, "--kafka-dr.restore.chunk-size=100");
		String restored = runWithKills(restorePlan, List.of("restore", "--backup-id", "nightly"), () -> false);
		assertThat(restored).contains("Validation PASSED");
		RestoreAssertions.assertTargetEqualsSource(source, target, storage, "nightly");
	}

	@Test
	void aManagerAskedToEndStopsThePartitionsOnItsWorkersAndTheSameCommandResumes() {
		CommandRun local = CommandRun.of(source.properties(reference, "--kafka-dr.topics.raw=connect-offsets"), "backup",
				"--backup-id", "stopped");
		assertThat(local.exitCode()).as(local.toString()).isZero();
		List<String> plan = plan(source, "--kafka-dr.topics.raw=connect-offsets", "--kafka-dr.backup.chunk-size=100");
		List<String> backup = List.of("backup", "--backup-id", "stopped");
		List<ChildProcess> workers = List.of(launch(with(List.of("worker", "--until-done"), plan)),
				launch(with(List.of("worker", "--until-done"), plan)));
		ChildProcess manager = launch(with(backup, plan));
		await("a worker part of the way through a partition").atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> !manager.isAlive() || workers.stream().anyMatch(worker -> committedRecords(worker.output()) != null));
		assertThat(manager.isAlive()).as("the backup ended before SIGTERM\n" + manager.output()).isTrue();
		manager.terminate();
		assertThat(manager.waitFor(Duration.ofSeconds(60))).as(manager.output()).isEqualTo(1);
		assertThat(manager.output()).contains("Asked to end (SIGTERM)",
				"The backup stopped stopped at a chunk boundary because kafka-dr was asked to end");
		assertThat(workers).as("a worker's partition stopped at its chunk boundary")
			.anyMatch(worker -> worker.output().contains("of backupJob execution") && worker.output().contains(": STOPPED,"));

		for (ChildProcess worker : workers) {
			assertThat(worker.waitFor(Duration.ofMinutes(2))).as("nothing is left to serve\n" + worker.output()).isZero();
		}

		ChildProcess again = launch(with(backup, plan));
		ChildProcess worker = launch(with(List.of("worker", "--until-done"), plan));
		assertThat(again.waitFor(Duration.ofMinutes(3))).as(again.output()).isZero();
		assertThat(worker.waitFor(Duration.ofMinutes(2))).as(worker.output()).isZero();
		SameBackup.assertSameRecords(new BackupStorage(reference).backup("stopped"),
				new BackupStorage(storage).backup("stopped"), (long) RAW_PARTITIONS * PER_PARTITION);
	}

	/**
	 * Runs a command as a manager with three workers. Kills a worker once it has committed part of a
	 * partition, waits for the manager to hand that partition to another worker, kills the manager,
	 * and runs it again to its end; the workers then end by themselves, and another worker has
	 * resumed the partition from the records the killed one committed. Returns the last manager's
	 * output.
	 */
	private String runWithKills(List<String> plan, List<String> command, BooleanSupplier done) {
		List<ChildProcess> workers = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			workers.add(launch(with(List.of("worker", "--until-done"), plan)));
		}
		ChildProcess manager = launch(with(command, plan));
		Victim victim = await("a worker part of the way through a partition").atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> stopOneWithCommittedRecords(workers), found -> found != null);
		victim.worker().kill();
		List<ChildProcess> others = workers.stream().filter(worker -> worker != victim.worker()).toList();
		await("the manager handing " + victim.partition() + " to another worker").atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> !manager.isAlive() || manager.output().contains("Partition " + victim.partition() + " has no worker"));
		assertThat(manager.isAlive()).as("the manager ended before its kill\n" + manager.output()).isTrue();
		assertThat(done.getAsBoolean()).as("the job was done before the manager's kill").isFalse();
		manager.kill();

		ChildProcess again = launch(with(command, plan));
		assertThat(again.waitFor(Duration.ofMinutes(5))).as(again.output()).isZero();
		for (ChildProcess worker : others) {
			assertThat(worker.waitFor(Duration.ofMinutes(2))).as("a worker ends once nothing is left\n" + worker.output())
				.isZero();
		}
		Pattern resumed = Pattern.compile("Running " + Pattern.quote(victim.partition())
				+ " of \\S+ execution \\d+, resumed from its last committed chunk at [1-9]");
		assertThat(others).as("another worker resumed " + victim.partition() + " where the killed one had committed")
			.anyMatch(worker -> resumed.matcher(worker.output()).find());
		return again.output();
	}

	private ChildProcess launch(List<String> args) {
		ChildProcess child = ChildProcess.start(args);
		this.children.add(child);
		return child;
	}

	/** A worker stopped (SIGSTOP) while it runs a partition, and that partition. */
	private record Victim(ChildProcess worker, String partition) {
	}

	/**
	 * Stops a worker that has committed records of the partition it runs (its progress line shows
	 * records, and the job repository a committed chunk), so that it cannot finish the partition
	 * before it is killed; null if none has.
	 */
	private static Victim stopOneWithCommittedRecords(List<ChildProcess> workers) throws SQLException {
		for (ChildProcess worker : workers) {
			if (committedRecords(worker.output()) != null) {
				worker.pause();
				String partition = committedRecords(worker.output());
				if (partition != null && chunksCommitted(partition) > 0) {
					return new Victim(worker, partition);
				}
				worker.resume();
			}
		}
		return null;
	}

	/** The chunks the running execution of a partition step has committed, as the job repository holds them. */
	private static long chunksCommitted(String partition) throws SQLException {
		try (Connection connection = DriverManager.getConnection(URL + "?currentSchema=" + SCHEMA, "postgres", "");
				PreparedStatement query = connection.prepareStatement(
						"select coalesce(max(commit_count), 0) from batch_step_execution where step_name = ? and status = 'STARTED'")) {
			query.setString(1, partition);
			try (ResultSet result = query.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
	}

	/**
	 * The partition a worker started last, if it has not finished it and its progress line shows
	 * committed records, from the worker's log; null otherwise.
	 */
	private static String committedRecords(String output) {
		String running = null;
		int from = 0;
		Matcher matcher = RUNNING.matcher(output);
		while (matcher.find()) {
			running = matcher.group(1);
			from = matcher.end();
		}
		if (running == null
				|| Pattern.compile(Pattern.quote(running) + " of \\S+ execution \\d+: ").matcher(output).find(from)) {
			return null;
		}
		String topicPartition = running.substring(running.indexOf(':') + 1);
		boolean progressed = Pattern.compile("(backup|restore) " + Pattern.quote(topicPartition) + ": [1-9][\\d,]* records of")
			.matcher(output)
			.find(from);
		return progressed ? running : null;
	}

	/** The settings the manager and its workers share: the cluster, the storage, the job repository. */
	private static List<String> plan(Sandboxes cluster, String... more) {
		List<String> settings = new ArrayList<>(List.of(more));
		settings.addAll(List.of("--kafka-dr.partitioning=remote",
				"--spring.datasource.url=" + URL + "?currentSchema=" + SCHEMA, "--spring.datasource.username=postgres",
				"--spring.datasource.password=", "--kafka-dr.worker.threads=1", "--kafka-dr.worker.idle-timeout=5s", "--kafka-dr.progress.interval=200ms"));
		return cluster.properties(storage, settings.toArray(String[]::new));
	}

	private static List<String> with(List<String> command, List<String> plan) {
		List<String> args = new ArrayList<>(command);
		args.addAll(plan);
		return args;
	}

}
