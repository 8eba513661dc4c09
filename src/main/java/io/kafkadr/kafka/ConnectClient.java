package io.kafkadr.kafka;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

import io.kafkadr.http.HttpAnswer;
import io.kafkadr.http.HttpEndpoint;
import io.kafkadr.tls.HttpsTrust;
import tools.jackson.databind.JsonNode;

/**
 * A client for the part of the Kafka Connect REST API that says what runs: connectors, their tasks
 * and their states. Thread-safe; share one per Connect cluster.
 */
public final class ConnectClient {

	private static final String LIST = "/connectors";

	private static final String STATUSES = "/connectors?expand=status";

	private final HttpEndpoint endpoint;

	public ConnectClient(ConnectProperties properties) {
		if (!properties.configured()) {
			throw new IllegalArgumentException("No Kafka Connect configured: set kafka-dr.connect.url");
		}
		this.endpoint = HttpEndpoint.configured("Kafka Connect", "kafka-dr.connect", properties,
				properties.requestTimeout());
	}

	/** The REST API root this client talks to. */
	public String url() {
		return this.endpoint.url();
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
		HttpAnswer answer;
		try {
			answer = this.endpoint.send(this.endpoint.request("GET", url() + path, "application/json", null, null));
		}
		catch (IOException ex) {
			if (HttpsTrust.isHandshakeFailure(ex)) {
				throw new ConnectUnavailableException(this.endpoint.untrusted(ex), 0, ex);
			}
			throw new ConnectUnavailableException("Kafka Connect at " + url() + " did not answer GET " + path + " ("
					+ HttpEndpoint.describe(ex) + "); check kafka-dr.connect.url and that Connect is up.", 0, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ConnectUnavailableException(
					"Interrupted while waiting for Kafka Connect at " + url() + " to answer GET " + path + ".", 0, ex);
		}
		if (!answer.ok()) {
			throw failure(path, answer);
		}
		JsonNode body = answer.json();
		if (path.equals(LIST) ? !body.isArray() : !body.isObject()) {
			// Most likely the URL points at some other service (or a proxy's error page).
			throw new ConnectUnavailableException("The service at " + url() + " answered GET " + path
					+ " with something that is not Kafka Connect's JSON (" + answer.abbreviated()
					+ "); check kafka-dr.connect.url.", 0, null);
		}
		return body;
	}

	private ConnectUnavailableException failure(String path, HttpAnswer answer) {
		int status = answer.status();
		if (status == 401 || status == 403) {
			return new ConnectUnavailableException(this.endpoint.credentialsFailure(status, "GET " + path), status,
					null);
		}
		return new ConnectUnavailableException("Kafka Connect at " + url() + " answered GET " + path + " with HTTP "
				+ status + message(answer) + "; check kafka-dr.connect.url and that Connect is up.", status, null);
	}

	/** Connect's error body is {@code {"error_code":409,"message":"..."}}; other bodies are shown abbreviated. */
	private static String message(HttpAnswer answer) {
		JsonNode message = answer.json().path("message");
		if (message.isString()) {
			return " (" + message.stringValue() + ")";
		}
		return answer.text().isBlank() ? "" : " (" + answer.abbreviated() + ")";
	}

}
