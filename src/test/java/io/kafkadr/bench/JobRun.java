package io.kafkadr.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One job execution as its job repository recorded it: the job's times and, for every partitioned
 * step, the manager step's times and each partition's. The scale-out scenario reads coordination
 * costs from these rather than from logs: every process writes them with the same clock (one
 * machine) and the same code, local or remote, in H2 or PostgreSQL.
 *
 * @param seconds from the job's start to its end
 * @param steps the partitioned steps that had partitions, in the order they started
 */
record JobRun(String jobName, long executionId, double seconds, List<PartitionedStep> steps) {

	/** What Spring Batch appends to a partitioned step's name to name its worker step ({@code PartitionContext}). */
	private static final String WORKER_SUFFIX = "Partition";

	/**
	 * A manager step and its partitions (named {@code <step>Partition:<partition>}).
	 *
	 * @param start when the manager step started: it then creates the partitions' executions and hands them out
	 * @param end when it ended: after it saw every partition end
	 */
	record PartitionedStep(String name, LocalDateTime start, LocalDateTime end, List<Partition> partitions) {

		double seconds() {
			return between(this.start, this.end);
		}

	}

	/**
	 * One partition's execution.
	 *
	 * @param created when the manager created its execution, just before handing it out
	 * @param started when a thread (local) or a worker (remote) started it
	 * @param ended when it ended
	 * @param commits its chunk commits (Spring Batch's commit count: chunks with items)
	 * @param items what it read: records, or for a restore's verification, segment files' lines
	 */
	record Partition(String name, LocalDateTime created, LocalDateTime started, LocalDateTime ended, long commits,
			long items) {

		double seconds() {
			return between(this.started, this.ended);
		}

	}

	static double between(LocalDateTime from, LocalDateTime to) {
		return Duration.between(from, to).toNanos() / 1e9;
	}

	/** The last execution of {@code jobName}, which must have ended. */
	static JobRun last(Connection connection, String jobName) throws SQLException {
		long id;
		LocalDateTime start;
		LocalDateTime end;
		try (PreparedStatement statement = connection.prepareStatement("select e.JOB_EXECUTION_ID, e.START_TIME, e.END_TIME"
				+ " from BATCH_JOB_EXECUTION e join BATCH_JOB_INSTANCE i on i.JOB_INSTANCE_ID = e.JOB_INSTANCE_ID"
				+ " where i.JOB_NAME = ? order by e.JOB_EXECUTION_ID desc")) {
			statement.setString(1, jobName);
			statement.setMaxRows(1);
			try (ResultSet result = statement.executeQuery()) {
				if (!result.next() || result.getTimestamp(3) == null) {
					throw new IllegalStateException("No ended execution of " + jobName + " in the job repository");
				}
				id = result.getLong(1);
				start = time(result.getTimestamp(2));
				end = time(result.getTimestamp(3));
			}
		}
		Map<String, LocalDateTime[]> managers = new LinkedHashMap<>();
		Map<String, List<Partition>> partitions = new LinkedHashMap<>();
		try (PreparedStatement statement = connection.prepareStatement("select STEP_NAME, CREATE_TIME, START_TIME, END_TIME,"
				+ " COMMIT_COUNT, READ_COUNT from BATCH_STEP_EXECUTION where JOB_EXECUTION_ID = ? order by START_TIME")) {
			statement.setLong(1, id);
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					String name = result.getString(1);
					LocalDateTime started = time(result.getTimestamp(3));
					LocalDateTime ended = time(result.getTimestamp(4));
					int colon = name.indexOf(':');
					if (colon > 0 && name.substring(0, colon).endsWith(WORKER_SUFFIX)) {
						String manager = name.substring(0, colon - WORKER_SUFFIX.length());
						partitions.computeIfAbsent(manager, key -> new ArrayList<>())
							.add(new Partition(name, time(result.getTimestamp(2)), started, ended, result.getLong(5),
									result.getLong(6)));
					}
					else {
						managers.put(name, new LocalDateTime[] { started, ended });
					}
				}
			}
		}
		List<PartitionedStep> steps = new ArrayList<>();
		managers.forEach((name, times) -> {
			List<Partition> own = partitions.getOrDefault(name, List.of());
			if (!own.isEmpty()) {
				steps.add(new PartitionedStep(name, times[0], times[1], own));
			}
		});
		return new JobRun(jobName, id, between(start, end), steps);
	}

	private static LocalDateTime time(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toLocalDateTime() : null;
	}

}
