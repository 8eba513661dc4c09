package io.kafkadr.kafka;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

import io.kafkadr.tls.HttpsTrust;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client for the part of the Kafka Connect REST API that says what runs: connectors, their tasks
 * and their states. Thread-safe; share one per Connect cluster.
 */
public final class ConnectClient {

	private static final String LIST = "/connectors";

	private static final String STATUSES = "/connectors?expand=status";

	private final ConnectProperties properties;

	private final String authorization;

	private final HttpsTrust trust;

	private final HttpClient client;

	private final JsonMapper json = JsonMapper.builder().build();

	public ConnectClient(ConnectProperties properties) {
		if (!properties.configured()) {
			throw new IllegalArgumentException("No Kafka Connect configured: set kafka-dr.connect.url");
		}
		if (URI.create(properties.url()).getUserInfo() != null) {
			// Refused so that a password can never reach a log line or an exception message via the URL.
			throw new IllegalArgumentException("kafka-dr.connect.url must not contain credentials; "
					+ "put them in kafka-dr.connect.basic-auth-user-info instead");
		}
		this.properties = properties;
		this.authorization = (properties.basicAuthUserInfo() != null) ? "Basic " + Base64.getEncoder()
			.encodeToString(properties.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8)) : null;
		this.trust = HttpsTrust.load("kafka-dr.connect", properties.trustStore(), properties.trustStorePassword(),
				properties.trustStoreType());
		// HTTP/1.1: the JDK's default h2c upgrade attempt on plain http trips up some proxies.
		this.client = this.trust.configure(HttpClient.newBuilder())
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(properties.requestTimeout())
			.build();
	}

	/** The REST API root this client talks to. */
	public String url() {
		return this.properties.url();
	}

	/**
	 * Every connector Connect has, with its state and its tasks' states, sorted by name.
	 * @throws ConnectUnavailableException when Connect does not answer, or answers with an error
	 */
	public List<ConnectorStatus> statuses() {
		// ?expand=status silently leaves out a connector whose status Connect has not written yet (a new or
		// just restored one), so the plain list is asked first and such a connector shows as NO_STATUS.
		TreeSet<String> withoutStatus = new TreeSet<>();
		get(LIST).values().forEach((name) -> withoutStatus.add(name.asString()));
		List<ConnectorStatus> statuses = new ArrayList<>();
		for (var entry : get(STATUSES).properties()) {
			withoutStatus.remove(entry.getKey());
			statuses.add(connectorStatus(entry.getKey(), entry.getValue().path("status")));
		}
		withoutStatus.forEach(
				(name) -> statuses.add(new ConnectorStatus(name, ConnectorStatus.NO_STATUS, null, null, List.of())));
		statuses.sort(Comparator.comparing(ConnectorStatus::name));
		return statuses;
	}

	private static ConnectorStatus connectorStatus(String name, JsonNode status) {
		JsonNode connector = status.path("connector");
		List<ConnectorStatus.TaskStatus> tasks = new ArrayList<>();
		for (JsonNode task : status.path("tasks").values()) {
			tasks.add(new ConnectorStatus.TaskStatus(task.path("id").asInt(), task.path("state").asString(null),
					task.path("worker_id").asString(null), ConnectorStatus.firstLine(task.path("trace").asString(null))));
		}
		tasks.sort(Comparator.comparingInt(ConnectorStatus.TaskStatus::id));
		return new ConnectorStatus(name, connector.path("state").asString(ConnectorStatus.NO_STATUS),
				connector.path("worker_id").asString(null), ConnectorStatus.firstLine(connector.path("trace").asString(null)),
				tasks);
	}

	private JsonNode get(String path) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
			.timeout(this.properties.requestTimeout())
			.header("Accept", "application/json")
			.GET();
		if (this.authorization != null) {
			request.header("Authorization", this.authorization);
		}
		HttpResponse<String> response;
		try {
			response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			if (HttpsTrust.isHandshakeFailure(ex)) {
				throw new ConnectUnavailableException(this.trust.describeFailure("Kafka Connect at " + url(), ex), 0, ex);
			}
			throw new ConnectUnavailableException("Kafka Connect at " + url() + " did not answer GET " + path + " ("
					+ describe(ex) + "); check kafka-dr.connect.url and that Connect is up.", 0, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ConnectUnavailableException(
					"Interrupted while waiting for Kafka Connect at " + url() + " to answer GET " + path + ".", 0, ex);
		}
		if (response.statusCode() < 200 || response.statusCode() >= 300) {
			throw failure(path, response);
		}
		try {
			JsonNode body = this.json.readTree(response.body());
			if (path.equals(LIST) ? !body.isArray() : !body.isObject()) {
				throw notConnect(path, response, null);
			}
			return body;
		}
		catch (JacksonException ex) {
			throw notConnect(path, response, ex);
		}
	}

	private ConnectUnavailableException failure(String path, HttpResponse<String> response) {
		int status = response.statusCode();
		if (status == 401 || status == 403) {
			String problem = (this.authorization != null) ? "refused the credentials" : "requires credentials";
			return new ConnectUnavailableException("Kafka Connect at " + url() + " " + problem + " (HTTP " + status
					+ ") for GET " + path + "; check kafka-dr.connect.basic-auth-user-info.", status, null);
		}
		return new ConnectUnavailableException("Kafka Connect at " + url() + " answered GET " + path + " with HTTP "
				+ status + message(response.body()) + "; check kafka-dr.connect.url and that Connect is up.", status, null);
	}

	private ConnectUnavailableException notConnect(String path, HttpResponse<String> response, Exception cause) {
		// Most likely the URL points at some other service (or a proxy's error page).
		return new ConnectUnavailableException("The service at " + url() + " answered GET " + path
				+ " with something that is not Kafka Connect's JSON (" + abbreviated(response.body())
				+ "); check kafka-dr.connect.url.", 0, cause);
	}

	/** Connect's error body is {@code {"error_code":409,"message":"..."}}; other bodies are shown abbreviated. */
	private String message(String body) {
		try {
			JsonNode message = this.json.readTree(body).path("message");
			if (message.isString()) {
				return " (" + message.stringValue() + ")";
			}
		}
		catch (JacksonException ex) {
			// not JSON: a proxy's or load balancer's page
		}
		return (body == null || body.isBlank()) ? "" : " (" + abbreviated(body) + ")";
	}

	private static String abbreviated(String body) {
		String oneLine = (body == null) ? "" : body.strip().replaceAll("\\s+", " ");
		return (oneLine.length() <= 200) ? oneLine : oneLine.substring(0, 200) + "...";
	}

	private static String describe(IOException ex) {
		// The JDK client throws a bare ConnectException for a refused connection; details, if any, are in its causes.
		String detail = null;
		for (Throwable cause = ex; cause != null && detail == null; cause = cause.getCause()) {
			detail = cause.getMessage();
		}
		if (detail == null && ex instanceof java.net.ConnectException) {
			detail = "connection refused or host unreachable";
		}
		return ex.getClass().getSimpleName() + ((detail != null) ? ": " + detail : "");
	}

}
