package io.kafkadr.partitioning;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.MessageChannelPartitionHandler;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.core.serializer.support.SerializationFailedException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.core.MessagingTemplate;
import org.springframework.integration.jdbc.store.JdbcChannelMessageStore;
import org.springframework.integration.jdbc.store.channel.PostgresChannelMessageStoreQueryProvider;
import org.springframework.integration.store.MessageGroupQueue;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.GenericMessage;

/**
 * The channel between a remote-partitioning manager and its workers: a queue of Spring Batch's
 * {@link StepExecutionRequest}s in a table of the shared PostgreSQL job repository (Spring
 * Integration's {@link JdbcChannelMessageStore}, which takes a row with {@code FOR UPDATE SKIP
 * LOCKED}, so each request goes to exactly one idle worker), and the lock a worker holds on a
 * partition while it runs it.
 *
 * <p>The lock is a PostgreSQL session advisory lock on a dedicated connection, taken in the same
 * transaction that takes the request off the queue: a worker that dies, however it dies, drops
 * its connection and with it the lock, and the manager can tell a partition that nobody runs any
 * more from one that is still running. It is keyed by the job instance and the partition's step
 * name, not by the step execution, so that no two processes ever run one partition at once, also
 * across a manager's restart.
 */
public final class WorkRequests {

	private static final Logger log = LoggerFactory.getLogger(WorkRequests.class);

	/** The queues' names (their message groups) in the table start so; each plan has its own. */
	private static final String QUEUE_PREFIX = "kafka-dr-partition-requests:";

	/** The table's name prefix: the table is {@code KAFKA_DR_CHANNEL_MESSAGE}. */
	static final String TABLE_PREFIX = "KAFKA_DR_";

	private static final String TABLE = TABLE_PREFIX + "CHANNEL_MESSAGE";

	private final DataSource dataSource;

	private final DataSourceProperties connection;

	private final JdbcChannelMessageStore store;

	/** This plan's queue: a worker runs a partition with its own settings, so it serves only managers with the same. */
	private final String queue;

	private volatile boolean tableReady;

	/** The database and schema of the job repository: two deployments may share a server, each with its own schema. */
	private String namespace;

	/**
	 * @param plan what a manager and its workers must agree on, as the settings give it: the cluster,
	 * the registry and the storage location. Managers and workers with other settings on the same job
	 * repository use other queues, so that a drill's workers never write into the nightly cluster.
	 */
	public WorkRequests(DataSource dataSource, DataSourceProperties connection, String plan) {
		this.dataSource = dataSource;
		this.connection = connection;
		this.store = store(dataSource);
		this.queue = QUEUE_PREFIX + HexFormat.of().formatHex(ByteBuffer.allocate(8).putLong(lockKeyOf(plan)).array());
	}

	/** The queue this process's requests go through; named in the log, so that a worker and its manager can be matched. */
	public String queue() {
		return this.queue;
	}

	/**
	 * A partition handler for a manager step that hands each partition of {@code workerStepName} to
	 * a worker through this queue and polls the job repository until every one has ended.
	 */
	MessageChannelPartitionHandler partitionHandler(String workerStepName, JobRepository jobRepository,
			long pollMillis) {
		MessageChannelPartitionHandler handler = new MessageChannelPartitionHandler();
		handler.setStepName(workerStepName);
		handler.setJobRepository(jobRepository);
		handler.setPollInterval(pollMillis);
		handler.setMessagingOperations(new MessagingTemplate(new RequestChannel()));
		try {
			handler.afterPropertiesSet();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not set up the partition handler for " + workerStepName, ex);
		}
		return handler;
	}

	/** Queues a request again: for a partition whose worker died, or one whose request was dropped. */
	void send(StepExecutionRequest request) {
		new MessagingTemplate(new RequestChannel()).convertAndSend(request);
	}

	/** How many requests wait for a worker. */
	int pending() {
		requireTable();
		return this.store.messageGroupSize(this.queue);
	}

	/** Whether a live worker holds the lock on this partition of its job instance. */
	boolean isRunning(StepExecution partition) {
		requireTable();
		long key = lockKey(partition);
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement("select count(*) from pg_locks where"
						+ " locktype = 'advisory' and granted and classid = ? and objid = ? and objsubid = 1")) {
			// pg_locks shows a bigint advisory key as its high and low 32 bits, both as unsigned oids
			statement.setLong(1, key >>> 32);
			statement.setLong(2, key & 0xFFFFFFFFL);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() && result.getLong(1) > 0;
			}
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException("Could not read the partition locks: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Takes the next request off the queue with its partition's lock, in one transaction; empty when
	 * the queue is empty or the partition is already running in another worker (a request sent again
	 * while the first was still running), in which case the request is dropped. The caller runs the
	 * partition and then closes the claim, which releases the lock.
	 * @param stepExecutions reads a request's step execution (the worker's job repository)
	 */
	Optional<ClaimedPartition> claim(JobRepository stepExecutions) {
		requireTable();
		Connection connection = openDedicated();
		boolean keep = false;
		try {
			connection.setAutoCommit(false);
			Message<?> message;
			try {
				message = store(new SingleConnectionDataSource(connection, true)).pollMessageFromGroup(this.queue);
			}
			catch (SerializationFailedException ex) {
				// Taken off the queue all the same: left there, it would stop every worker at the head of the queue.
				connection.commit();
				log.warn("Dropped a partition request that cannot be read ({}); a request of another kafka-dr release?"
						+ " The manager hands out again any partition that no worker runs.", ex.getMessage());
				return Optional.empty();
			}
			if (message == null || !(message.getPayload() instanceof StepExecutionRequest request)) {
				connection.commit();
				return Optional.empty();
			}
			StepExecution partition = stepExecutions.getStepExecution(request.getStepExecutionId());
			Long key = (partition != null) ? lockKey(partition) : null;
			boolean locked = key != null && tryLock(connection, key);
			connection.commit();
			if (!locked) {
				return Optional.empty();
			}
			connection.setAutoCommit(true);
			keep = true;
			return Optional.of(new ClaimedPartition(request, connection, key));
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException("Could not take a partition request: " + ex.getMessage(), ex);
		}
		finally {
			if (!keep) {
				close(connection);
			}
		}
	}

	/**
	 * The lock's key: the first 8 bytes of the SHA-256 of the job repository's schema, the job
	 * instance and the partition's step name. A request carries a step execution, which a manager's
	 * restart replaces with a new one for the same partition.
	 */
	long lockKey(StepExecution partition) {
		return lockKeyOf("kafka-dr:" + this.namespace + ":" + partition.getJobExecution().getJobInstance().getInstanceId()
				+ ":" + partition.getStepName());
	}

	private static boolean tryLock(Connection connection, long key) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
			statement.setLong(1, key);
			try (ResultSet result = statement.executeQuery()) {
				return result.next() && result.getBoolean(1);
			}
		}
	}

	/**
	 * A connection of its own, outside the pool, for as long as its worker runs the partition: a
	 * pooled connection would keep the lock when it went back to the pool.
	 */
	private Connection openDedicated() {
		try {
			return DriverManager.getConnection(this.connection.determineUrl(), this.connection.determineUsername(),
					this.connection.determinePassword());
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException(
					"Could not connect to the job repository for a partition: " + ex.getMessage(), ex);
		}
	}

	static void close(Connection connection) {
		try {
			connection.close();
		}
		catch (SQLException ex) {
			// closing drops the lock on the server side whatever the driver says
		}
	}

	/** Creates the queue's table when it is missing; idempotent across processes that start at once. */
	private void requireTable() {
		if (this.tableReady) {
			return;
		}
		synchronized (this) {
			if (this.tableReady) {
				return;
			}
			try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
				// An advisory lock of its own serializes the DDL of processes that start together.
				statement.execute("select pg_advisory_lock(" + lockKeyOf("kafka-dr:schema") + ")");
				try {
					statement.execute("create sequence if not exists " + TABLE_PREFIX + "MESSAGE_SEQ start with 1"
							+ " increment by 1 no cycle");
					// Spring Integration's schema-postgresql.sql, for this one table
					statement.execute("create table if not exists " + TABLE + " (MESSAGE_ID CHAR(36) NOT NULL,"
							+ " GROUP_KEY CHAR(36) NOT NULL, CREATED_DATE BIGINT NOT NULL, MESSAGE_PRIORITY BIGINT,"
							+ " MESSAGE_SEQUENCE BIGINT NOT NULL DEFAULT nextval('" + TABLE_PREFIX + "MESSAGE_SEQ'),"
							+ " MESSAGE_CONTENT BYTEA, REGION VARCHAR(100) NOT NULL, constraint " + TABLE
							+ "_PK primary key (REGION, GROUP_KEY, CREATED_DATE, MESSAGE_SEQUENCE))");
					statement.execute("create index if not exists " + TABLE_PREFIX + "CHANNEL_MSG_DELETE_IDX on " + TABLE
							+ " (REGION, GROUP_KEY, MESSAGE_ID)");
				}
				finally {
					statement.execute("select pg_advisory_unlock(" + lockKeyOf("kafka-dr:schema") + ")");
				}
				this.namespace = connection.getCatalog() + "." + connection.getSchema();
			}
			catch (SQLException ex) {
				throw new DataAccessResourceFailureException(
						"Could not create the partition requests' table " + TABLE + ": " + ex.getMessage(), ex);
			}
			this.tableReady = true;
		}
	}

	private static long lockKeyOf(String name) {
		try {
			return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)))
				.getLong();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static JdbcChannelMessageStore store(DataSource dataSource) {
		JdbcChannelMessageStore store = new JdbcChannelMessageStore(dataSource);
		store.setChannelMessageStoreQueryProvider(new PostgresChannelMessageStoreQueryProvider());
		store.setTablePrefix(TABLE_PREFIX);
		// what a request is made of; Java serialization reads nothing else from the table
		store.addAllowedPatterns(StepExecutionRequest.class.getName(), GenericMessage.class.getName(),
				MessageHeaders.class.getName(), HashMap.class.getName(), UUID.class.getName(), "java.lang.*");
		store.afterPropertiesSet();
		return store;
	}

	/** The queue as a channel to send to: what Spring Batch's partition handler sends its requests through. */
	private final class RequestChannel extends QueueChannel {

		RequestChannel() {
			super(new MessageGroupQueue(WorkRequests.this.store, WorkRequests.this.queue));
		}

		@Override
		protected boolean doSend(Message<?> message, long timeout) {
			requireTable();
			return super.doSend(message, timeout);
		}

	}

}
