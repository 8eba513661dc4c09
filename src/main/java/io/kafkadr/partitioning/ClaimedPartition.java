package io.kafkadr.partitioning;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import org.springframework.batch.integration.partition.StepExecutionRequest;

/**
 * A partition request a worker took off the queue, with the partition's lock held on a connection
 * of its own until {@link #close()}.
 */
final class ClaimedPartition implements AutoCloseable {

	private static final int LIVENESS_TIMEOUT_SECONDS = 2;

	private final StepExecutionRequest request;

	private final Connection connection;

	private final long lockKey;

	private boolean closed;

	ClaimedPartition(StepExecutionRequest request, Connection connection, long lockKey) {
		this.request = request;
		this.connection = connection;
		this.lockKey = lockKey;
	}

	StepExecutionRequest request() {
		return this.request;
	}

	/**
	 * Whether the connection that holds the lock still answers. A connection that something dropped
	 * (a session timeout, a proxy) has lost the lock with it, and the manager will hand the partition
	 * to another worker. Asking also keeps the session from looking idle. A claim closed by its worker
	 * has nothing left to lose.
	 */
	synchronized boolean alive() {
		if (this.closed) {
			return true;
		}
		try {
			return this.connection.isValid(LIVENESS_TIMEOUT_SECONDS);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	/** Releases the lock and the connection; a dead worker's connection releases both on the server's side. */
	@Override
	public synchronized void close() {
		this.closed = true;
		try (PreparedStatement unlock = this.connection.prepareStatement("select pg_advisory_unlock(?)")) {
			unlock.setLong(1, this.lockKey);
			unlock.execute();
		}
		catch (SQLException ex) {
			// closing the connection below releases the lock as well
		}
		finally {
			WorkRequests.close(this.connection);
		}
	}

}
