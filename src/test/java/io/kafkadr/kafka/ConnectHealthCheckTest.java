package io.kafkadr.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.kafkadr.kafka.ConnectHealthCheck.Result;
import io.kafkadr.kafka.ConnectorStatus.TaskStatus;
import io.kafkadr.sandbox.KafkaSandbox;
import io.kafkadr.testing.ConnectSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The health check against a real Kafka Connect worker (distributed mode) on a real broker. */
@Tag("integration")
class ConnectHealthCheckTest {

	private static final Duration GENEROUS = Duration.ofSeconds(60);

	private static KafkaSandbox kafka;

	private static ConnectSandbox connect;

	@TempDir
	Path dir;

	@BeforeAll
	static void startWorker() {
		kafka = KafkaSandbox.start();
		connect = ConnectSandbox.start(kafka.bootstrapServers());
	}

	@AfterAll
	static void stopWorker() {
		if (connect != null) {
			connect.close();
		}
		if (kafka != null) {
			kafka.close();
		}
	}

	@AfterEach
	void deleteConnectors() {
		connect.deleteAllConnectors();
	}

	@Test
	void aFileSourceConnectorBecomesHealthyWithItsTaskRunning() throws IOException {
		createFileSource("lines-source");

		// Asked at once: Connect has not started the connector yet, so the check has to wait for it.
		Result result = healthCheck().awaitRunning(GENEROUS);

		assertThat(result.healthy()).isTrue();
		assertThat(result.problem()).isNull();
		assertThat(result.connectors()).singleElement().satisfies((connector) -> {
			assertThat(connector.name()).isEqualTo("lines-source");
			assertThat(connector.state()).isEqualTo("RUNNING");
			assertThat(connector.workerId()).isEqualTo(connect.workerId());
			assertThat(connector.trace()).isNull();
			assertThat(connector.tasks()).containsExactly(new TaskStatus(0, "RUNNING", connect.workerId(), null));
			assertThat(connector.running()).isTrue();
		});
	}

	@Test
	void aFailedTaskMakesItUnhealthyAndIsNamedWithTheFirstLineOfItsTrace() throws IOException {
		createFileSource("lines-source");
		Path unwritable = this.dir.resolve("no-such-directory").resolve("out.txt");
		connect.createConnector("broken-sink", Map.of("connector.class",
				"org.apache.kafka.connect.file.FileStreamSinkConnector", "topics", "lines", "file", unwritable.toString()));
		ConnectClient client = client();
		await().atMost(GENEROUS).until(() -> taskState(client, "broken-sink").equals("FAILED"));

		long started = System.nanoTime();
		Result result = healthCheck().awaitRunning(Duration.ofSeconds(1));
		Duration waited = Duration.ofNanos(System.nanoTime() - started);

		assertThat(result.healthy()).isFalse();
		assertThat(result.problem())
			.startsWith("Not every connector of Kafka Connect at " + connect.url() + " is RUNNING after 1s: ")
			.contains("connector broken-sink task 0 is FAILED: org.apache.kafka.connect.errors.ConnectException: "
					+ "Couldn't find or create file '" + unwritable + "' for FileStreamSinkTask")
			.doesNotContain("\tat ", "\n", "lines-source")
			.endsWith(".");
		assertThat(result.connectors()).extracting(ConnectorStatus::name).containsExactly("broken-sink", "lines-source");
		assertThat(result.connectors().get(0).state()).isEqualTo("RUNNING");
		assertThat(result.connectors().get(0).tasks()).singleElement()
			.satisfies((task) -> assertThat(task.state()).isEqualTo("FAILED"));
		// The wait is bounded: a failed task does not recover by itself, so the check gives up at the timeout.
		assertThat(waited).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(15));
	}

	@Test
	void aPausedConnectorIsReportedWithItsTasks() throws IOException {
		createFileSource("paused-source");
		ConnectClient client = client();
		await().atMost(GENEROUS).until(() -> taskState(client, "paused-source").equals("RUNNING"));
		connect.pauseConnector("paused-source");
		await().atMost(GENEROUS).until(() -> taskState(client, "paused-source").equals("PAUSED"));

		Result result = healthCheck().awaitRunning(Duration.ofMillis(300));

		assertThat(result.healthy()).isFalse();
		assertThat(result.problem()).contains(
				"connector paused-source is PAUSED; connector paused-source task 0 is PAUSED.");
	}

	@Test
	void aWorkerWithNoConnectorsIsNotHealthy() {
		Result result = healthCheck().awaitRunning(Duration.ofMillis(500));

		assertThat(result.healthy()).isFalse();
		assertThat(result.connectors()).isEmpty();
		assertThat(result.problem()).isEqualTo("Kafka Connect at " + connect.url() + " runs no connectors after 500ms.");
	}

	@Test
	void credentialsAreSentWhenConfigured() throws IOException {
		createFileSource("guarded-source");
		try (BasicAuthGate gate = BasicAuthGate.start(connect.url(), "kdr:s3cret")) {
			Result result = new ConnectHealthCheck(
					new ConnectClient(ConnectProperties.forUrl(gate.url()).withBasicAuth("kdr:s3cret")))
				.awaitRunning(GENEROUS);

			assertThat(result.healthy()).isTrue();
			assertThat(result.connectors()).extracting(ConnectorStatus::name).containsExactly("guarded-source");
			assertThat(gate.refused()).isZero();
		}
	}

	@Test
	void refusedCredentialsEndTheWaitAtOnceWithoutShowingThePassword() throws IOException {
		createFileSource("guarded-source");
		try (BasicAuthGate gate = BasicAuthGate.start(connect.url(), "kdr:s3cret")) {
			ConnectClient wrongPassword = new ConnectClient(
					ConnectProperties.forUrl(gate.url()).withBasicAuth("kdr:wr0ng"));

			long started = System.nanoTime();
			Result result = new ConnectHealthCheck(wrongPassword).awaitRunning(GENEROUS);

			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
			assertThat(gate.refused()).isEqualTo(1);
			assertThat(result.healthy()).isFalse();
			assertThat(result.problem())
				.isEqualTo("Kafka Connect at " + gate.url() + " refused the credentials (HTTP 401) for GET "
						+ "/connectors; check kafka-dr.connect.basic-auth-user-info.");
			assertThatThrownBy(() -> new ConnectClient(ConnectProperties.forUrl(gate.url())).statuses())
				.isInstanceOfSatisfying(ConnectUnavailableException.class,
						(ex) -> assertThat(ex.status()).isEqualTo(401))
				.hasMessageContaining("requires credentials")
				.hasMessageNotContaining("s3cret");
		}
	}

	private void createFileSource(String name) throws IOException {
		Path input = Files.writeString(this.dir.resolve(name + ".txt"), "first line\nsecond line\n");
		// The broker does not create topics on demand; Connect creates the target topic itself (KIP-158).
		connect.createConnector(name,
				Map.of("connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector", "file",
						input.toString(), "topic", "lines", "topic.creation.default.replication.factor", "1",
						"topic.creation.default.partitions", "1"));
	}

	private static String taskState(ConnectClient client, String connector) {
		return client.statuses()
			.stream()
			.filter((status) -> status.name().equals(connector))
			.flatMap((status) -> status.tasks().stream())
			.map(TaskStatus::state)
			.findFirst()
			.orElse("none yet");
	}

	private static ConnectClient client() {
		return new ConnectClient(ConnectProperties.forUrl(connect.url()));
	}

	private static ConnectHealthCheck healthCheck() {
		return new ConnectHealthCheck(client());
	}

}
