package io.kafkadr.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryUnreachableTest {

	@Test
	void aClosedPortFailsAfterTheConfiguredAttemptsNamingTheUrl() throws IOException {
		String url = "http://127.0.0.1:" + closedPort() + "/apis/ccompat/v7";
		RegistryClient client = new RegistryClient(
				RegistryProperties.forUrl(url).withBasicAuth("kdr:s3cret").withRetries(2, Duration.ofMillis(10)));

		assertThatThrownBy(() -> client.subjects(false))
			.isInstanceOfSatisfying(RegistryUnavailableException.class, (ex) -> {
				assertThat(ex.attempts()).isEqualTo(2);
				assertThat(ex.getCause()).isInstanceOf(IOException.class);
			})
			.hasMessageContaining(url)
			.hasMessageContaining("GET /subjects")
			.hasMessageContaining("after 2 attempts")
			.hasMessageContaining("ConnectException")
			.hasMessageContaining("check kafka-dr.registry.url and that the registry is up")
			.hasMessageNotContaining("s3cret");
	}

	@Test
	void connectionsDroppedWithoutAnAnswerAreRetriedUpToMaxAttempts() throws Exception {
		AtomicInteger connections = new AtomicInteger();
		try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			Thread.ofVirtual().start(() -> dropEveryConnection(server, connections));
			RegistryClient client = new RegistryClient(
					RegistryProperties.forUrl("http://127.0.0.1:" + server.getLocalPort())
						.withRetries(3, Duration.ofMillis(10)));

			assertThatThrownBy(() -> client.register("s", "AVRO", "\"string\"", null, null, null))
				.isInstanceOf(RegistryUnavailableException.class)
				.hasMessageContaining("POST /subjects/s/versions after 3 attempts");
			assertThat(connections).hasValue(3);
		}
	}

	@Test
	void aRegistryThatNeverAnswersTimesOutOnEveryAttempt() throws Exception {
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			// Connections complete in the listen backlog, but nothing ever reads or answers them.
			RegistryClient client = new RegistryClient(new RegistryProperties("http://127.0.0.1:" + silent.getLocalPort(),
					null, Duration.ofSeconds(1), Duration.ofMillis(200), 2, Duration.ofMillis(10), null, null, null));

			assertThatThrownBy(() -> client.globalCompatibility())
				.isInstanceOfSatisfying(RegistryUnavailableException.class,
						(ex) -> assertThat(ex.getCause()).isInstanceOf(HttpTimeoutException.class))
				.hasMessageContaining("GET /config after 2 attempts")
				.hasMessageContaining("HttpTimeoutException");
		}
	}

	private static void dropEveryConnection(ServerSocket server, AtomicInteger connections) {
		while (!server.isClosed()) {
			try (Socket socket = server.accept()) {
				connections.incrementAndGet();
			}
			catch (IOException ex) {
				// the test closed the server
			}
		}
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
