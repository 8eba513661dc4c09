package io.kafkadr.kafka;

import java.util.List;

import io.kafkadr.kafka.ConnectorStatus.TaskStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What counts as running, and how what does not is put into words. */
class ConnectorStatusTest {

	private static final TaskStatus RUNNING_TASK = new TaskStatus(0, "RUNNING", "w1:8083", null);

	@Test
	void runningMeansTheConnectorAndEveryTaskAndAtLeastOneTask() {
		assertThat(connector("RUNNING", RUNNING_TASK, new TaskStatus(1, "RUNNING", "w2:8083", null)).running()).isTrue();
		assertThat(connector("RUNNING", RUNNING_TASK, new TaskStatus(1, "UNASSIGNED", null, null)).running()).isFalse();
		assertThat(connector("RUNNING").running()).isFalse();
		assertThat(connector("PAUSED", RUNNING_TASK).running()).isFalse();
		assertThat(connector(ConnectorStatus.NO_STATUS).running()).isFalse();
	}

	@Test
	void aRunningConnectorHasNoProblems() {
		assertThat(connector("RUNNING", RUNNING_TASK).problems()).isEmpty();
	}

	@Test
	void problemsNameTheConnectorTheTaskTheStateAndTheTrace() {
		ConnectorStatus status = new ConnectorStatus("jdbc-sink", "FAILED", "w1:8083", "java.lang.OutOfMemoryError",
				List.of(RUNNING_TASK, new TaskStatus(1, "FAILED", "w2:8083", "org.example.Boom: no table"),
						new TaskStatus(2, "UNASSIGNED", null, null)));

		assertThat(status.problems()).containsExactly("connector jdbc-sink is FAILED: java.lang.OutOfMemoryError",
				"connector jdbc-sink task 1 is FAILED: org.example.Boom: no table",
				"connector jdbc-sink task 2 is UNASSIGNED");
	}

	@Test
	void aConnectorWithoutTasksOrWithoutStatusSaysSo() {
		assertThat(connector("RUNNING").problems()).containsExactly("connector c is RUNNING but has no tasks");
		assertThat(connector(ConnectorStatus.NO_STATUS).problems()).containsExactly("connector c has no status yet");
	}

	@Test
	void onlyTheFirstLineOfATraceIsKept() {
		assertThat(ConnectorStatus.firstLine("org.example.Boom: no table\n\tat org.example.Sink.put(Sink.java:1)\n"))
			.isEqualTo("org.example.Boom: no table");
		assertThat(ConnectorStatus.firstLine("\n  org.example.Boom\r\n\tat x")).isEqualTo("org.example.Boom");
		assertThat(ConnectorStatus.firstLine(null)).isNull();
		assertThat(ConnectorStatus.firstLine(" ")).isNull();
	}

	private static ConnectorStatus connector(String state, TaskStatus... tasks) {
		return new ConnectorStatus("c", state, "w1:8083", null, List.of(tasks));
	}

}
