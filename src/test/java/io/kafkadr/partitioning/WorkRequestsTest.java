package io.kafkadr.partitioning;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import io.kafkadr.execution.JobRepositorySchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.integration.util.UUIDConverter;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The queue and the partition locks of remote partitioning on the machine's PostgreSQL, each test
 * in schemas of its own: a request goes to one worker with its partition's lock, a request sent
 * again while the partition runs is dropped, a worker's lock goes with its connection however
 * that ends, an unreadable request does not block the queue, and two job repositories on one
 * server do not share locks.
 */
@Tag("integration")
class WorkRequestsTest {

	private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

	private static final String PLAN = "broker:9092|http://registry:8080/apis/ccompat/v7|s3://backups/cdc";

	private final List<String> schemas = new ArrayList<>();

	private final List<Optional<ClaimedPartition>> claims = new ArrayList<>();

	private Repository repository;

	@BeforeEach
	void repository() throws Exception {
		this.repository = repository("a");
	}

	@AfterEach
	void dropSchemas() throws SQLException {
		this.claims.forEach(claim -> claim.ifPresent(ClaimedPartition::close));
		try (Connection connection = DriverManager.getConnection(URL, "postgres", "")) {
			for (String schema : this.schemas) {
				connection.createStatement().execute("DROP SCHEMA " + schema + " CASCADE");
			}
		}
	}

	@Test
	void aRequestGoesToOneWorkerWithItsPartitionsLock() {
		StepExecution partition = this.repository.partition("backupJob", "cdcTopicsPartition:t-0");
		this.repository.requests.send(new StepExecutionRequest("cdcTopicsPartition", partition.getId()));
		assertThat(this.repository.requests.pending()).isEqualTo(1);
		assertThat(this.repository.requests.isRunning(partition)).isFalse();

		Optional<ClaimedPartition> claim = claim(this.repository);
		assertThat(claim).hasValueSatisfying(claimed -> assertThat(claimed.request().getStepExecutionId())
			.isEqualTo(partition.getId()));
		assertThat(this.repository.requests.pending()).isZero();
		assertThat(this.repository.requests.isRunning(partition)).isTrue();
		assertThat(claim(this.repository)).as("the queue is empty").isEmpty();

		claim.get().close();
		assertThat(this.repository.requests.isRunning(partition)).isFalse();
	}

	@Test
	void aRequestSentAgainWhileItsPartitionRunsIsDropped() {
		StepExecution partition = this.repository.partition("restoreJob", "internalTopicsPartition:t-1");
		this.repository.requests.send(new StepExecutionRequest("internalTopicsPartition", partition.getId()));
		Optional<ClaimedPartition> first = claim(this.repository);
		assertThat(first).isPresent();
		this.repository.requests.send(new StepExecutionRequest("internalTopicsPartition", partition.getId()));
		assertThat(claim(this.repository)).as("the partition runs in the first worker").isEmpty();
		assertThat(this.repository.requests.pending()).as("the second request was taken off and dropped").isZero();
		assertThat(this.repository.requests.isRunning(partition)).isTrue();
	}

	@Test
	void theLockOfAPartitionIsKeyedByItsJobInstanceAndName() {
		// The manager's restart gives a partition a new step execution: its lock must still be the same one.
		StepExecution first = this.repository.partition("backupJob", "cdcTopicsPartition:t-2");
		StepExecution again = this.repository.restartOf(first);
		this.repository.requests.send(new StepExecutionRequest("cdcTopicsPartition", first.getId()));
		assertThat(claim(this.repository)).isPresent();
		assertThat(this.repository.requests.isRunning(again)).isTrue();
		this.repository.requests.send(new StepExecutionRequest("cdcTopicsPartition", again.getId()));
		assertThat(claim(this.repository)).as("one partition never runs in two workers").isEmpty();
	}

	@Test
	void aWorkersLockGoesWithItsConnection() throws SQLException {
		StepExecution partition = this.repository.partition("backupJob", "cdcTopicsPartition:t-3");
		this.repository.requests.send(new StepExecutionRequest("cdcTopicsPartition", partition.getId()));
		Optional<ClaimedPartition> claim = claim(this.repository);
		assertThat(this.repository.requests.isRunning(partition)).isTrue();
		assertThat(claim).hasValueSatisfying(claimed -> assertThat(claimed.alive()).isTrue());
		// What a killed worker's connection does: the server ends the session without an unlock.
		try (Connection admin = DriverManager.getConnection(URL, "postgres", "");
				PreparedStatement kill = admin.prepareStatement("select pg_terminate_backend(pid) from pg_locks"
						+ " where locktype = 'advisory' and granted and pid <> pg_backend_pid()"
						+ " and pid in (select pid from pg_stat_activity where datname = 'test')"
						+ " and classid = ? and objid = ? and objsubid = 1")) {
			long key = this.repository.lockKey(partition);
			kill.setLong(1, key >>> 32);
			kill.setLong(2, key & 0xFFFFFFFFL);
			kill.executeQuery().close();
		}
		assertThat(claim).isPresent();
		assertThat(this.repository.requests.isRunning(partition)).isFalse();
		assertThat(claim.get().alive()).as("its worker can tell it lost the lock").isFalse();
		claim.get().close();
		assertThat(claim.get().alive()).as("a claim its worker closed has nothing to lose").isTrue();
	}

	@Test
	void workersServeOnlyManagersOfTheirOwnPlan() {
		StepExecution partition = this.repository.partition("restoreJob", "cdcTopicsPartition:t-6");
		this.repository.requests.send(new StepExecutionRequest("cdcTopicsPartition", partition.getId()));
		WorkRequests drill = this.repository.otherPlan("drill-broker:9092|http://drill-registry|s3://backups/cdc");
		assertThat(drill.queue()).isNotEqualTo(this.repository.requests.queue());
		assertThat(drill.pending()).isZero();
		assertThat(drill.claim(this.repository.jobs())).as("a drill's worker does not take the nightly plan's partitions")
			.isEmpty();
		assertThat(this.repository.requests.pending()).isEqualTo(1);
		assertThat(claim(this.repository)).isPresent();
	}

	@Test
	void anUnreadableRequestIsTakenOffTheQueue() throws SQLException {
		StepExecution partition = this.repository.partition("backupJob", "cdcTopicsPartition:t-4");
		this.repository.requests.send(new StepExecutionRequest("cdcTopicsPartition", partition.getId()));
		try (Connection connection = this.repository.connection();
				PreparedStatement insert = connection.prepareStatement("insert into KAFKA_DR_CHANNEL_MESSAGE"
						+ " (MESSAGE_ID, GROUP_KEY, REGION, CREATED_DATE, MESSAGE_CONTENT) values (?, ?, 'DEFAULT', 0, ?)")) {
			insert.setString(1, UUID.randomUUID().toString());
			insert.setString(2, UUIDConverter.getUUID(this.repository.requests.queue()).toString());
			insert.setBytes(3, new byte[] { 1, 2, 3 });
			insert.executeUpdate();
		}
		assertThat(this.repository.requests.pending()).isEqualTo(2);
		assertThat(claim(this.repository)).as("the unreadable request, created first, is dropped").isEmpty();
		assertThat(claim(this.repository)).hasValueSatisfying(claimed -> assertThat(claimed.request().getStepExecutionId())
			.isEqualTo(partition.getId()));
	}

	@Test
	void twoJobRepositoriesOnOneServerDoNotShareLocks() throws Exception {
		Repository other = repository("b");
		StepExecution here = this.repository.partition("backupJob", "cdcTopicsPartition:t-5");
		StepExecution there = other.partition("backupJob", "cdcTopicsPartition:t-5");
		assertThat(there.getJobExecution().getJobInstance().getInstanceId())
			.isEqualTo(here.getJobExecution().getJobInstance().getInstanceId());
		this.repository.requests.send(new StepExecutionRequest("cdcTopicsPartition", here.getId()));
		other.requests.send(new StepExecutionRequest("cdcTopicsPartition", there.getId()));
		assertThat(claim(this.repository)).isPresent();
		assertThat(other.requests.isRunning(there)).isFalse();
		assertThat(claim(other)).isPresent();
	}

	private Optional<ClaimedPartition> claim(Repository repository) {
		Optional<ClaimedPartition> claim = repository.requests.claim(repository.jobs);
		this.claims.add(claim);
		return claim;
	}

	/** A job repository in a schema of its own, with its queue. */
	private Repository repository(String name) throws Exception {
		String schema = "kafka_dr_" + name + "_" + UUID.randomUUID().toString().replace("-", "");
		try (Connection connection = DriverManager.getConnection(URL, "postgres", "")) {
			connection.createStatement().execute("CREATE SCHEMA " + schema);
		}
		this.schemas.add(schema);
		String url = URL + "?currentSchema=" + schema;
		DriverManagerDataSource dataSource = new DriverManagerDataSource(url, "postgres", "");
		BatchJdbcProperties batch = new BatchJdbcProperties();
		batch.setInitializeSchema(DatabaseInitializationMode.ALWAYS);
		JobRepositorySchema tables = new JobRepositorySchema(dataSource, batch);
		tables.setResourceLoader(new DefaultResourceLoader());
		tables.initializeDatabase();
		JdbcJobRepositoryFactoryBean factory = new JdbcJobRepositoryFactoryBean();
		factory.setDataSource(dataSource);
		factory.setTransactionManager(new DataSourceTransactionManager(dataSource));
		factory.setDatabaseType("POSTGRES");
		factory.afterPropertiesSet();
		DataSourceProperties connection = new DataSourceProperties();
		connection.setUrl(url);
		connection.setUsername("postgres");
		connection.setPassword("");
		return new Repository(factory.getObject(), new WorkRequests(dataSource, connection, PLAN), url, dataSource,
				connection);
	}

	/** A job repository and its queue. */
	private record Repository(JobRepository jobs, WorkRequests requests, String url, DataSource dataSource,
			DataSourceProperties settings) {

		/** The queue of another plan on the same job repository. */
		WorkRequests otherPlan(String plan) {
			return new WorkRequests(this.dataSource, this.settings, plan);
		}

		/** A step execution of a new execution of a new instance of the job, as a manager's split makes it. */
		StepExecution partition(String job, String stepName) {
			JobParameters parameters = new JobParametersBuilder().addString("backup.id", UUID.randomUUID().toString())
				.toJobParameters();
			JobInstance instance = this.jobs.createJobInstance(job, parameters);
			JobExecution execution = this.jobs.createJobExecution(instance, parameters, new ExecutionContext());
			return this.jobs.createStepExecution(stepName, execution);
		}

		/** The same partition in a new execution of its job instance, as a restarted manager's split makes it. */
		StepExecution restartOf(StepExecution partition) {
			JobExecution execution = this.jobs.createJobExecution(partition.getJobExecution().getJobInstance(),
					partition.getJobExecution().getJobParameters(), new ExecutionContext());
			return this.jobs.createStepExecution(partition.getStepName(), execution);
		}

		long lockKey(StepExecution partition) {
			return this.requests.lockKey(partition);
		}

		Connection connection() throws SQLException {
			return DriverManager.getConnection(this.url, "postgres", "");
		}

	}

}
