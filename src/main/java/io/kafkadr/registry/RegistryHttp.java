package io.kafkadr.registry;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import io.kafkadr.http.HttpAnswer;
import io.kafkadr.http.HttpEndpoint;
import io.kafkadr.tls.HttpsTrust;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/** The registry's side of {@link RegistryClient}'s HTTP: its media types, retries, and errors as exceptions. */
final class RegistryHttp {

	private static final Logger logger = LoggerFactory.getLogger(RegistryHttp.class);

	private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/json";

	private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private final RegistryProperties properties;

	private final HttpEndpoint endpoint;

	RegistryHttp(RegistryProperties properties) {
		if (properties.url() == null) {
			throw new IllegalArgumentException("No schema registry configured: set kafka-dr.registry.url");
		}
		this.properties = properties;
		this.endpoint = HttpEndpoint.configured("The schema registry", "kafka-dr.registry", properties,
				properties.connectTimeout());
	}

	String url() {
		return this.properties.url();
	}

	/** One path segment, for subject names that may hold any character ({@code a/b}, spaces, {@code %}). */
	static String segment(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	/** Sends the request and returns the JSON of a 2xx answer; any other answer throws. */
	JsonNode exchange(String method, String path, Object body) {
		HttpAnswer answer = send(method, path, body);
		if (!answer.ok()) {
			throw failure(method, path, answer);
		}
		return answer.json();
	}

	/** Like {@link #exchange} but a 404 answer means "no such thing" rather than an error. */
	Optional<JsonNode> exchangeIfFound(String method, String path, Object body) {
		return ifFound(method, path, send(method, path, body));
	}

	/** Sends the request to a URL outside the API root (another API of the same registry); JSON or nothing back. */
	Optional<JsonNode> exchangeAtIfFound(String method, String url, byte[] body, String contentType) {
		return ifFound(method, url,
				attempt(method, url, this.endpoint.request(method, url, "application/json", contentType, body), true));
	}

	/** The bytes at a URL outside the API root (an export archive). */
	byte[] download(String url) {
		HttpAnswer answer = attempt("GET", url, this.endpoint.request("GET", url, null, null, null), false);
		if (!answer.ok()) {
			throw failure("GET", url, answer);
		}
		return answer.bytes();
	}

	private Optional<JsonNode> ifFound(String method, String path, HttpAnswer answer) {
		if (answer.status() == 404) {
			return Optional.empty();
		}
		if (!answer.ok()) {
			throw failure(method, path, answer);
		}
		return Optional.of(answer.json());
	}

	private HttpAnswer send(String method, String path, Object body) {
		// Retrying is safe even for POST: registering a schema the subject already has returns its id again.
		return attempt(method, path, this.endpoint.request(method, url() + path, ACCEPT, CONTENT_TYPE,
				(body != null) ? HttpEndpoint.json(body) : null), true);
	}

	/**
	 * Sends until an answer that is not worth retrying, or throws after the configured attempts.
	 * @param textAnswer whether an error answer's body is worth quoting (an archive's is not)
	 */
	private HttpAnswer attempt(String method, String path, HttpRequest request, boolean textAnswer) {
		int maxAttempts = this.properties.maxAttempts();
		BackOffExecution backOff = backOff().start();
		String lastProblem = null;
		IOException lastException = null;
		int lastStatus = 0;
		for (int attempt = 1; attempt <= maxAttempts; attempt++) {
			try {
				HttpAnswer answer = this.endpoint.send(request);
				int status = answer.status();
				if (status != 429 && status < 500) {
					return answer;
				}
				lastStatus = status;
				lastException = null;
				lastProblem = textAnswer ? describe(answer) : "HTTP " + status;
			}
			catch (IOException ex) {
				if (HttpsTrust.isHandshakeFailure(ex)) {
					throw new RegistryException(this.endpoint.untrusted(ex), 0, 0, ex);
				}
				lastStatus = 0;
				lastException = ex;
				lastProblem = HttpEndpoint.describe(ex);
			}
			catch (InterruptedException ex) {
				throw interrupted(method, path, attempt, ex);
			}
			if (attempt < maxAttempts) {
				Duration backoff = Duration.ofMillis(backOff.nextBackOff());
				logger.warn("Schema registry {}: {} {} failed (attempt {} of {}): {}; retrying in {} ms", url(), method,
						path, attempt, maxAttempts, lastProblem, backoff.toMillis());
				try {
					Thread.sleep(backoff);
				}
				catch (InterruptedException ex) {
					throw interrupted(method, path, attempt, ex);
				}
			}
		}
		throw new RegistryUnavailableException("The schema registry at " + url() + " did not answer " + method + " "
				+ path + " after " + maxAttempts + " attempts (last cause: " + lastProblem
				+ "); check kafka-dr.registry.url and that the registry is up.", maxAttempts, lastStatus, lastException);
	}

	private RegistryException failure(String method, String path, HttpAnswer answer) {
		if (answer.status() == 401 || answer.status() == 403) {
			return new RegistryException(this.endpoint.credentialsFailure(answer.status(), method + " " + path),
					answer.status(), errorCode(answer));
		}
		return new RegistryException("The schema registry at " + url() + " answered " + method + " " + path + " with "
				+ describe(answer) + ".", answer.status(), errorCode(answer));
	}

	private RegistryUnavailableException interrupted(String method, String path, int attempt, InterruptedException ex) {
		Thread.currentThread().interrupt();
		return new RegistryUnavailableException("Interrupted while waiting for the schema registry at " + url()
				+ " to answer " + method + " " + path + ".", attempt, 0, ex);
	}

	/** Confluent's {@code error_code}, or 0 when the registry sent none. */
	private static int errorCode(HttpAnswer answer) {
		return answer.json().path("error_code").asInt(0);
	}

	/** The status with the registry's {@code error_code} and {@code message}, for exception messages. */
	private static String describe(HttpAnswer answer) {
		JsonNode message = answer.json().path("message");
		String text = message.isString() ? message.stringValue()
				: (answer.json().isMissingNode() ? answer.abbreviated() : null);
		int errorCode = errorCode(answer);
		StringBuilder description = new StringBuilder("HTTP ").append(answer.status());
		if (errorCode != 0 || (text != null && !text.isEmpty())) {
			description.append(" (");
			if (errorCode != 0) {
				description.append("error_code ").append(errorCode).append(text != null ? ": " : "");
			}
			description.append(text != null ? text : "").append(")");
		}
		return description.toString();
	}

	/** Pauses between attempts: doubling from {@code kafka-dr.registry.initial-backoff}, at most 30 s each. */
	private ExponentialBackOff backOff() {
		ExponentialBackOff backOff = new ExponentialBackOff(this.properties.initialBackoff().toMillis(), 2);
		backOff.setMaxInterval(MAX_BACKOFF.toMillis());
		return backOff;
	}

}
