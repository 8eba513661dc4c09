package io.kafkadr.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * A real Prometheus Pushgateway (Debian's {@code prometheus-pushgateway}) on a free port of this
 * machine, in memory only, for one test class.
 */
final class PushgatewayProcess implements AutoCloseable {

	static final Path BINARY = Path.of("/usr/bin/prometheus-pushgateway");

	private final Process process;

	private final int port;

	private final Path log;

	private final HttpClient http = HttpClient.newHttpClient();

	private PushgatewayProcess(Process process, int port, Path log) {
		this.process = process;
		this.port = port;
		this.log = log;
	}

	static PushgatewayProcess start() {
		if (!Files.isExecutable(BINARY)) {
			throw new IllegalStateException(BINARY + " is missing: the metrics tests push to a real Pushgateway."
					+ " Install it with: apt-get install -y prometheus-pushgateway");
		}
		try {
			int port;
			try (ServerSocket socket = new ServerSocket(0)) {
				port = socket.getLocalPort();
			}
			Path log = Files.createTempFile("pushgateway-", ".log");
			// Debian's build persists to /var/lib/prometheus by default: this one starts empty and keeps nothing
			Process process = new ProcessBuilder(BINARY.toString(), "--web.listen-address=127.0.0.1:" + port,
					"--persistence.file=")
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			PushgatewayProcess pushgateway = new PushgatewayProcess(process, port, log);
			Awaitility.await("the Pushgateway on port " + port)
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(100))
				.until(pushgateway::ready);
			return pushgateway;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** {@code host:port}, as {@code management.prometheus.metrics.export.pushgateway.address} takes it. */
	String address() {
		return "127.0.0.1:" + this.port;
	}

	private boolean ready() throws IOException {
		if (!this.process.isAlive()) {
			throw new IllegalStateException("the Pushgateway ended:\n" + Files.readString(this.log));
		}
		try {
			return get("/-/ready").statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** What Prometheus would scrape from it: every pushed group's metrics, in the text format. */
	String metrics() throws IOException {
		return get("/metrics").body();
	}

	private HttpResponse<String> get(String path) throws IOException {
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create("http://" + address() + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor();
		}
	}

}
