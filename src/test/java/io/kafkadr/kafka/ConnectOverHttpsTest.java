package io.kafkadr.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.kafkadr.kafka.ConnectHealthCheck.Result;
import io.kafkadr.sandbox.KafkaSandbox;
import io.kafkadr.sandbox.SandboxTls;
import io.kafkadr.testing.ConnectSandbox;
import io.kafkadr.testing.SelfSignedTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health check against a real Connect worker whose REST API serves HTTPS with a self-signed
 * certificate: trusted through {@code kafka-dr.connect.trust-store}, and without it refused at once
 * with a message naming that setting.
 */
@Tag("integration")
class ConnectOverHttpsTest {

	private static final Duration GENEROUS = Duration.ofSeconds(60);

	@TempDir
	static Path dir;

	private static SandboxTls tls;

	private static KafkaSandbox kafka;

	private static ConnectSandbox connect;

	@BeforeAll
	static void startWorker() throws IOException {
		tls = SelfSignedTls.create(dir, "connect-trust-pw");
		kafka = KafkaSandbox.start();
		connect = ConnectSandbox.startHttps(kafka.bootstrapServers(), tls);
		Path input = Files.writeString(dir.resolve("lines.txt"), "first line\nsecond line\n");
		connect.createConnector("tls-source", Map.of("connector.class",
				"org.apache.kafka.connect.file.FileStreamSourceConnector", "file", input.toString(), "topic", "lines",
				"topic.creation.default.replication.factor", "1", "topic.creation.default.partitions", "1"));
	}

	@AfterAll
	static void stopWorker() {
		try (KafkaSandbox broker = kafka; ConnectSandbox worker = connect) {
			// Closed in reverse order, the worker before its broker; a sandbox that never started is null and skipped.
		}
	}

	@Test
	void theTrustStoreMakesConnectTrusted() {
		assertThat(connect.url()).startsWith("https://");
		ConnectClient client = new ConnectClient(
				ConnectProperties.forUrl(connect.url()).withTrustStore(tls.trustStore().toString(), tls.password(), null));

		Result result = new ConnectHealthCheck(client).awaitRunning(GENEROUS);

		assertThat(result.healthy()).as(String.valueOf(result.problem())).isTrue();
		assertThat(result.connectors()).extracting(ConnectorStatus::name).containsExactly("tls-source");
	}

	@Test
	void anUntrustedCertificateEndsTheWaitAtOnceNamingTheSetting() {
		ConnectClient client = new ConnectClient(ConnectProperties.forUrl(connect.url()));

		long started = System.nanoTime();
		Result result = new ConnectHealthCheck(client).awaitRunning(GENEROUS);

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
		assertThat(result.healthy()).isFalse();
		assertThat(result.problem()).startsWith("Kafka Connect at " + connect.url() + " failed the TLS handshake")
			.contains("the JVM's default CAs", "Set kafka-dr.connect.trust-store");
	}

}
