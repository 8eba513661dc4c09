package io.kafkadr.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kafkadr.sandbox.SandboxTls;
import io.kafkadr.tls.HttpsTrust;

import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * A real Kafka Connect worker in distributed mode, in this JVM, started the way Kafka's own
 * {@code connect-distributed.sh} starts one ({@link ConnectDistributed#startConnect}). It keeps its
 * configs, offsets and statuses in {@code connect-configs}, {@code connect-offsets} and
 * {@code connect-status} on the given broker, and finds connectors on the test classpath
 * (Kafka's file connectors among them).
 */
public final class ConnectSandbox implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ConnectSandbox.class);

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

	private final Connect<DistributedHerder> connect;

	private final String url;

	private final HttpClient http;

	private final JsonMapper json = JsonMapper.builder().build();

	private ConnectSandbox(Connect<DistributedHerder> connect, SandboxTls tls) {
		this.connect = connect;
		HttpsTrust trust = (tls != null)
				? HttpsTrust.load("sandbox", tls.trustStore().toString(), tls.password(), SandboxTls.TYPE)
				: HttpsTrust.load("sandbox", null, null, null);
		this.http = trust.configure(HttpClient.newBuilder()).version(HttpClient.Version.HTTP_1_1).build();
		String advertised = connect.rest().advertisedUrl().toString();
		this.url = advertised.endsWith("/") ? advertised.substring(0, advertised.length() - 1) : advertised;
	}

	/** Starts a worker against the broker at {@code bootstrapServers} and waits until it serves requests. */
	public static ConnectSandbox start(String bootstrapServers) {
		return start(bootstrapServers, 0);
	}

	/** Starts a worker whose REST API listens on the given port (0: any free port). */
	public static ConnectSandbox start(String bootstrapServers, int port) {
		return start(bootstrapServers, port, null, Map.of());
	}

	/**
	 * Starts a worker with more worker properties, added to the sandbox's or replacing them (for
	 * example {@code key.converter} and its settings, which every connector then inherits).
	 */
	public static ConnectSandbox start(String bootstrapServers, Map<String, String> workerProperties) {
		return start(bootstrapServers, 0, null, workerProperties);
	}

	/** Starts a worker whose REST API serves HTTPS only, presenting the certificate of {@code tls}. */
	public static ConnectSandbox startHttps(String bootstrapServers, SandboxTls tls) {
		return start(bootstrapServers, 0, tls, Map.of());
	}

	private static ConnectSandbox start(String bootstrapServers, int port, SandboxTls tls,
			Map<String, String> workerProperties) {
		Map<String, String> worker = new HashMap<>(Map.ofEntries(Map.entry("bootstrap.servers", bootstrapServers),
				Map.entry("group.id", "kafka-dr-sandbox-connect"), Map.entry("config.storage.topic", "connect-configs"),
				Map.entry("offset.storage.topic", "connect-offsets"), Map.entry("status.storage.topic", "connect-status"),
				Map.entry("config.storage.replication.factor", "1"), Map.entry("offset.storage.replication.factor", "1"),
				Map.entry("status.storage.replication.factor", "1"), Map.entry("offset.storage.partitions", "1"),
				Map.entry("status.storage.partitions", "1"),
				Map.entry("key.converter", "org.apache.kafka.connect.storage.StringConverter"),
				Map.entry("value.converter", "org.apache.kafka.connect.storage.StringConverter"),
				// Port 0: Jetty picks a free port and the worker advertises the one it got, so no port can be stolen.
				Map.entry("listeners", "http://127.0.0.1:" + port),
				// Plugins are found through their META-INF/services entries; scanning the whole test classpath
				// by reflection would cost seconds and find nothing more.
				Map.entry("plugin.discovery", "service_load"), Map.entry("offset.flush.interval.ms", "1000"),
				Map.entry("scheduled.rebalance.max.delay.ms", "0"), Map.entry("task.shutdown.graceful.timeout.ms", "2000")));
		if (tls != null) {
			worker.put("listeners", "https://127.0.0.1:" + port);
			worker.put("listeners.https.ssl.keystore.location", tls.keyStore().toString());
			worker.put("listeners.https.ssl.keystore.password", tls.password());
			worker.put("listeners.https.ssl.key.password", tls.password());
			worker.put("listeners.https.ssl.keystore.type", SandboxTls.TYPE);
			// The worker is its own REST client when it forwards requests to the leader (itself).
			worker.put("listeners.https.ssl.truststore.location", tls.trustStore().toString());
			worker.put("listeners.https.ssl.truststore.password", tls.password());
			worker.put("listeners.https.ssl.truststore.type", SandboxTls.TYPE);
		}
		worker.putAll(workerProperties);
		long started = System.nanoTime();
		ClassLoader contextLoader = Thread.currentThread().getContextClassLoader();
		// startConnect calls System.exit through Kafka's Exit when the worker fails to start; in a test JVM
		// that must be an exception instead.
		Exit.setExitProcedure((status, message) -> {
			throw new IllegalStateException("The sandbox Connect worker failed to start (exit " + status + ")");
		});
		ConnectSandbox sandbox;
		try {
			sandbox = new ConnectSandbox(new ConnectDistributed().startConnect(worker), tls);
		}
		finally {
			Exit.resetExitProcedure();
			// The worker swaps in its plugin class loader as the context class loader; the test thread gets its own back.
			Thread.currentThread().setContextClassLoader(contextLoader);
		}
		sandbox.awaitReady();
		logger.info("Sandbox Connect worker at {} ready in {} ms", sandbox.url, (System.nanoTime() - started) / 1_000_000);
		return sandbox;
	}

	/** The REST API root, for {@code kafka-dr.connect.url}. */
	public String url() {
		return this.url;
	}

	/** The worker id Connect reports in statuses ({@code host:port}). */
	public String workerId() {
		return URI.create(this.url).getAuthority();
	}

	/** Creates a connector through {@code POST /connectors}; Connect starts it in the background. */
	public void createConnector(String name, Map<String, String> config) {
		HttpResponse<String> response = send("POST", "/connectors", Map.of("name", name, "config", config));
		if (response.statusCode() != 201) {
			throw new IllegalStateException("Connect refused to create connector " + name + ": HTTP "
					+ response.statusCode() + " " + response.body());
		}
	}

	/** Pauses a connector through {@code PUT /connectors/NAME/pause}; Connect pauses it in the background. */
	public void pauseConnector(String name) {
		HttpResponse<String> response = send("PUT", "/connectors/" + name + "/pause", null);
		if (response.statusCode() != 202) {
			throw new IllegalStateException("Connect refused to pause connector " + name + ": HTTP "
					+ response.statusCode() + " " + response.body());
		}
	}

	/**
	 * The status of a connector and its tasks, as {@code GET /connectors/NAME/status} answers it
	 * (a failed task's stack trace included), or the HTTP status and body when Connect has none.
	 */
	public String status(String name) {
		HttpResponse<String> response = send("GET", "/connectors/" + name + "/status", null);
		return (response.statusCode() == 200) ? response.body() : "HTTP " + response.statusCode() + " " + response.body();
	}

	/** The names of the connectors, from {@code GET /connectors}. */
	public List<String> connectors() {
		HttpResponse<String> response = send("GET", "/connectors", null);
		return this.json.readTree(response.body()).values().stream().map(JsonNode::asString).toList();
	}

	/** Deletes every connector, waiting until Connect lists none. */
	public void deleteAllConnectors() {
		for (String name : connectors()) {
			HttpResponse<String> response = send("DELETE", "/connectors/" + name, null);
			if (response.statusCode() != 204 && response.statusCode() != 404) {
				throw new IllegalStateException("Connect refused to delete connector " + name + ": HTTP "
						+ response.statusCode() + " " + response.body());
			}
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> connectors().isEmpty());
	}

	@Override
	public void close() {
		long started = System.nanoTime();
		this.connect.stop();
		this.connect.awaitStop();
		this.http.close();
		logger.info("Sandbox Connect worker at {} stopped in {} ms", this.url, (System.nanoTime() - started) / 1_000_000);
	}

	private void awaitReady() {
		// GET /health answers 200 once the worker has joined its group and read the config topic; before that,
		// GET /connectors would answer an empty list and POST /connectors could fail.
		await().atMost(STARTUP_TIMEOUT)
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(() -> send("GET", "/health", null).statusCode() == 200);
	}

	private HttpResponse<String> send(String method, String path, Object body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.url + path))
			.timeout(Duration.ofSeconds(30))
			.header("Accept", "application/json");
		if (body != null) {
			request.header("Content-Type", "application/json")
				.method(method, HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body)));
		}
		else {
			request.method(method, HttpRequest.BodyPublishers.noBody());
		}
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException("The sandbox Connect worker at " + this.url + " did not answer " + method
					+ " " + path, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

}
