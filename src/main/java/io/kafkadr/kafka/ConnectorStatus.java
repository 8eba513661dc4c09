package io.kafkadr.kafka;

import java.util.ArrayList;
import java.util.List;

/**
 * What Kafka Connect reports about one connector and its tasks. Traces are kept to their first
 * line (exception class and message): enough to say what failed, short enough for a report.
 *
 * @param name the connector's name
 * @param state {@code RUNNING}, {@code FAILED}, {@code PAUSED}, {@code STOPPED}, {@code UNASSIGNED},
 * {@code RESTARTING}, or {@link #NO_STATUS} when Connect has the connector but no status for it yet
 * @param workerId the worker ({@code host:port}) running the connector, or {@code null}
 * @param trace the first line of the connector's failure trace, or {@code null}
 * @param tasks the connector's tasks, by id
 */
public record ConnectorStatus(String name, String state, String workerId, String trace, List<TaskStatus> tasks) {

	/** The state of a connector that Connect lists but has not yet written a status for. */
	public static final String NO_STATUS = "NO_STATUS";

	static final String RUNNING = "RUNNING";

	public ConnectorStatus {
		tasks = List.copyOf(tasks);
	}

	/** Whether the connector and all its tasks run; a connector without tasks does not count as running. */
	public boolean running() {
		return RUNNING.equals(this.state) && !this.tasks.isEmpty() && this.tasks.stream().allMatch(TaskStatus::running);
	}

	/** One phrase per thing that is not RUNNING, for example {@code connector s task 0 is FAILED: ...}. */
	public List<String> problems() {
		List<String> problems = new ArrayList<>();
		if (NO_STATUS.equals(this.state)) {
			problems.add("connector " + this.name + " has no status yet");
			return problems;
		}
		if (!RUNNING.equals(this.state)) {
			problems.add("connector " + this.name + " is " + this.state + withTrace(this.trace));
		}
		else if (this.tasks.isEmpty()) {
			problems.add("connector " + this.name + " is RUNNING but has no tasks");
		}
		for (TaskStatus task : this.tasks) {
			if (!task.running()) {
				problems.add("connector " + this.name + " task " + task.id() + " is " + task.state() + withTrace(task.trace()));
			}
		}
		return problems;
	}

	/** The first line of a Connect trace (a Java stack trace), or {@code null} when there is none. */
	static String firstLine(String trace) {
		if (trace == null || trace.isBlank()) {
			return null;
		}
		return trace.strip().lines().findFirst().orElse("").strip();
	}

	private static String withTrace(String trace) {
		return (trace != null) ? ": " + trace : "";
	}

	/**
	 * One task of a connector.
	 *
	 * @param trace the first line of the task's failure trace, or {@code null}
	 */
	public record TaskStatus(int id, String state, String workerId, String trace) {

		public boolean running() {
			return RUNNING.equals(this.state);
		}

	}

}
