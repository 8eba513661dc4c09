package io.kafkadr.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import io.kafkadr.http.HttpAnswer;
import io.kafkadr.http.HttpEndpoint;

/**
 * A Prometheus Pushgateway's HTTP API for one group of metrics ({@code /metrics/job/<job>} and the
 * grouping key's labels, each value base64url-encoded so that any text fits in the path).
 */
final class Pushgateway {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpEndpoint group;

	Pushgateway(String baseUrl, String job, Map<String, String> groupingKey, String authorization) {
		StringBuilder path = new StringBuilder(baseUrl).append("/metrics").append(label("job", job));
		groupingKey.forEach((name, value) -> path.append(label(name, value)));
		this.group = HttpEndpoint.of("the Pushgateway", URI.create(path.toString()), authorization, TIMEOUT);
	}

	private static String label(String name, String value) {
		return "/" + name + "@base64/"
				+ Base64.getUrlEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Sends metrics in the Prometheus text format: {@code replace} (PUT) replaces all the group's
	 * metrics, otherwise (POST) only those of the same names.
	 */
	void push(String metrics, boolean replace) throws IOException, InterruptedException {
		send(this.group.request(replace ? "PUT" : "POST", this.group.url(), null,
				"text/plain; version=0.0.4; charset=utf-8", metrics.getBytes(StandardCharsets.UTF_8)));
	}

	/** Deletes the group's metrics. */
	void delete() throws IOException, InterruptedException {
		send(this.group.request("DELETE", this.group.url(), null, null, null));
	}

	private void send(HttpRequest request) throws IOException, InterruptedException {
		HttpAnswer answer = this.group.send(request);
		if (!answer.ok()) {
			throw new IOException(this.group.server() + " answered " + answer.status() + ": " + answer.text().strip());
		}
	}

	@Override
	public String toString() {
		return this.group.url();
	}

}
