package io.kafkadr.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A Prometheus Pushgateway's HTTP API for one group of metrics ({@code /metrics/job/<job>} and the
 * grouping key's labels, each value base64url-encoded so that any text fits in the path).
 */
final class Pushgateway {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private final URI group;

	private final String authorization;

	Pushgateway(String baseUrl, String job, Map<String, String> groupingKey, String authorization) {
		StringBuilder path = new StringBuilder(baseUrl).append("/metrics").append(label("job", job));
		groupingKey.forEach((name, value) -> path.append(label(name, value)));
		this.group = URI.create(path.toString());
		this.authorization = authorization;
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
		send(HttpRequest.newBuilder(this.group)
			.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
			.method(replace ? "PUT" : "POST", HttpRequest.BodyPublishers.ofString(metrics, StandardCharsets.UTF_8)));
	}

	/** Deletes the group's metrics. */
	void delete() throws IOException, InterruptedException {
		send(HttpRequest.newBuilder(this.group).DELETE());
	}

	private void send(HttpRequest.Builder request) throws IOException, InterruptedException {
		request.timeout(TIMEOUT);
		if (this.authorization != null) {
			request.header("Authorization", this.authorization);
		}
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() / 100 != 2) {
			throw new IOException("the Pushgateway at " + this.group + " answered " + response.statusCode() + ": "
					+ response.body().strip());
		}
	}

	@Override
	public String toString() {
		return this.group.toString();
	}

}
