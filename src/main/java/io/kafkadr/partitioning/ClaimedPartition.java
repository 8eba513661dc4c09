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

	private final StepExecutionRequest request;

	private final Connection connection;

	private final long lockKey;

	ClaimedPartition(StepExecutionRequest request, Connection connection, long lockKey) {
		this.request = request;
		this.connection = connection;
		this.lockKey = lockKey;
	}

	StepExecutionRequest request() {
		return this.request;
	}

	/** Releases the lock and the connection; a dead worker's connection releases both on the server's side. */
	@Override
	public void close() {
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
