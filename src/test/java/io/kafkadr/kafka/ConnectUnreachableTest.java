package io.kafkadr.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.kafkadr.kafka.ConnectHealthCheck.Result;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Connect that cannot be reached: the client throws, naming the URL and the setting; the health
 * check keeps asking until its timeout and then reports the same, without throwing.
 */
@Tag("integration")
class ConnectUnreachableTest {

	@Test
	void theClientNamesTheUrlAndTheSettingButNotThePassword() throws IOException {
		String url = "http://127.0.0.1:" + closedPort();
		ConnectClient client = new ConnectClient(ConnectProperties.forUrl(url).withBasicAuth("kdr:s3cret"));

		assertThatThrownBy(client::statuses)
			.isInstanceOfSatisfying(ConnectUnavailableException.class, (ex) -> {
				assertThat(ex.status()).isZero();
				assertThat(ex.getCause()).isInstanceOf(IOException.class);
			})
			.hasMessageStartingWith("Kafka Connect at " + url + " did not answer GET /connectors (ConnectException")
			.hasMessageEndingWith("; check kafka-dr.connect.url and that Connect is up.")
			.hasMessageNotContaining("s3cret");
	}

	@Test
	void aClosedPortIsUnhealthyOnceTheTimeoutHasPassed() throws IOException {
		String url = "http://127.0.0.1:" + closedPort();

		long started = System.nanoTime();
		Result result = new ConnectHealthCheck(new ConnectClient(ConnectProperties.forUrl(url)))
			.awaitRunning(Duration.ofMillis(1500));
		Duration waited = Duration.ofNanos(System.nanoTime() - started);

		assertThat(result.healthy()).isFalse();
		assertThat(result.connectors()).isEmpty();
		assertThat(result.problem()).startsWith("Gave up after 1500ms: Kafka Connect at " + url + " did not answer")
			.endsWith("check kafka-dr.connect.url and that Connect is up.");
		assertThat(waited).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));
	}

	@Test
	void errorAnswersWhileWaitingAreAskedAgainWithBackoffUntilTheTimeout() throws IOException {
		// As a worker that is still starting (404) or rebalancing (409, 503) answers.
		AtomicInteger requests = new AtomicInteger();
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/", (exchange) -> {
			requests.incrementAndGet();
			byte[] body = "still starting".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(503, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
		try {
			String url = "http://127.0.0.1:" + server.getAddress().getPort();

			Result result = new ConnectHealthCheck(new ConnectClient(ConnectProperties.forUrl(url)))
				.awaitRunning(Duration.ofMillis(2000));

			assertThat(result.healthy()).isFalse();
			assertThat(result.problem()).isEqualTo("Gave up after 2s: Kafka Connect at " + url
					+ " answered GET /connectors with HTTP 503 (still starting); check kafka-dr.connect.url and that "
					+ "Connect is up.");
			// Asked at about 0, 250, 750, 1750 and 2000 ms: more than once, but backing off rather than hammering.
			assertThat(requests.get()).isBetween(3, 6);
		}
		finally {
			server.stop(0);
		}
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
