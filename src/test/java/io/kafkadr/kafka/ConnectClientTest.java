package io.kafkadr.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import io.kafkadr.kafka.ConnectorStatus.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client on answers a real worker gives only in a short window, replayed: right after a
 * connector is created (or its config restored), {@code GET /connectors} lists it while
 * {@code ?expand=status} leaves it out until its status is written. ConnectHealthCheckTest covers
 * the client against a real worker.
 */
@Tag("integration")
class ConnectClientTest {

	// Recorded from a Kafka 4.3.1 worker a moment after POST /connectors for "sink" and "src".
	private static final String LIST = "[\"src\",\"sink\"]";

	private static final String STATUSES = """
			{"src":{"status":{"name":"src","connector":{"state":"RUNNING","worker_id":"127.0.0.1:45251",\
			"version":"4.3.1"},"tasks":[{"id":0,"state":"RUNNING","worker_id":"127.0.0.1:45251","version":"4.3.1"}],\
			"type":"source"}}}""";

	private HttpServer server;

	private volatile Map<String, String> answers;

	@BeforeEach
	void startServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", (exchange) -> {
			String body = this.answers.get(exchange.getRequestURI().toString());
			byte[] bytes = (body != null ? body : "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders((body != null) ? 200 : 404, bytes.length);
			exchange.getResponseBody().write(bytes);
			exchange.close();
		});
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.stop(0);
	}

	@Test
	void aConnectorListedWithoutAStatusYetShowsAsNoStatus() {
		this.answers = Map.of("/connectors", LIST, "/connectors?expand=status", STATUSES);

		List<ConnectorStatus> statuses = client().statuses();

		assertThat(statuses).containsExactly(
				new ConnectorStatus("sink", ConnectorStatus.NO_STATUS, null, null, List.of()),
				new ConnectorStatus("src", "RUNNING", "127.0.0.1:45251", null,
						List.of(new TaskStatus(0, "RUNNING", "127.0.0.1:45251", null))));
	}

	@Test
	void anAnswerThatIsNotConnectsIsAnErrorNamingTheUrl() {
		this.answers = Map.of("/connectors", "<html>Welcome to nginx</html>");

		assertThatThrownBy(() -> client().statuses()).isInstanceOf(ConnectUnavailableException.class)
			.hasMessage("The service at " + url() + " answered GET /connectors with something that is not Kafka "
					+ "Connect's JSON (<html>Welcome to nginx</html>); check kafka-dr.connect.url.");
	}

	@Test
	void anHttpErrorCarriesConnectsMessage() {
		this.answers = Map.of();

		assertThatThrownBy(() -> client().statuses())
			.isInstanceOfSatisfying(ConnectUnavailableException.class, (ex) -> assertThat(ex.status()).isEqualTo(404))
			.hasMessage("Kafka Connect at " + url() + " answered GET /connectors with HTTP 404 (HTTP 404 Not Found); "
					+ "check kafka-dr.connect.url and that Connect is up.");
	}

	private ConnectClient client() {
		return new ConnectClient(ConnectProperties.forUrl(url()));
	}

	private String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

}
