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
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.util.backoff.BackOff;
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
		Attempts attempts = new Attempts(method, path, request, textAnswer);
		try {
			RetryPolicy policy = RetryPolicy.builder().backOff(attempts).predicate(Unanswered.class::isInstance).build();
			return new RetryTemplate(policy).invoke(attempts::send);
		}
		catch (Unanswered last) {
			if (Thread.currentThread().isInterrupted()) {
				// Spring's template was interrupted in a pause, and set the flag again
				throw interrupted(method, path, attempts.made, last);
			}
			int maxAttempts = this.properties.maxAttempts();
			throw new RegistryUnavailableException("The schema registry at " + url() + " did not answer " + method + " "
					+ path + " after " + maxAttempts + " attempts (last cause: " + last.getMessage()
					+ "); check kafka-dr.registry.url and that the registry is up.", maxAttempts, last.status,
					last.getCause());
		}
	}

	private RegistryException failure(String method, String path, HttpAnswer answer) {
		if (answer.status() == 401 || answer.status() == 403) {
			return new RegistryException(this.endpoint.credentialsFailure(answer.status(), method + " " + path),
					answer.status(), errorCode(answer));
		}
		return new RegistryException("The schema registry at " + url() + " answered " + method + " " + path + " with "
				+ describe(answer) + ".", answer.status(), errorCode(answer));
	}

	private RegistryUnavailableException interrupted(String method, String path, int attempt, Exception ex) {
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

	/**
	 * An answer worth asking again for (429, 5xx) or none at all; the message says which, for the
	 * logs. Unchecked, so that Spring's template rethrows the last one as it is.
	 */
	private static final class Unanswered extends RuntimeException {

		private final int status;

		Unanswered(String problem, int status, IOException cause) {
			super(problem, cause);
			this.status = status;
		}

	}

	/**
	 * One request's attempts, as Spring's {@link RetryTemplate} makes them, and the pauses between
	 * them: doubling from {@code kafka-dr.registry.initial-backoff}, at most 30 s each, each announced
	 * before it begins with the attempt that failed.
	 */
	private final class Attempts implements BackOff {

		private final String method;

		private final String path;

		private final HttpRequest request;

		private final boolean textAnswer;

		private int made;

		private Unanswered last;

		Attempts(String method, String path, HttpRequest request, boolean textAnswer) {
			this.method = method;
			this.path = path;
			this.request = request;
			this.textAnswer = textAnswer;
		}

		HttpAnswer send() {
			this.made++;
			HttpAnswer answer;
			try {
				answer = RegistryHttp.this.endpoint.send(this.request);
			}
			catch (InterruptedException ex) {
				throw interrupted(this.method, this.path, this.made, ex);
			}
			catch (IOException ex) {
				if (HttpsTrust.isHandshakeFailure(ex)) {
					throw new RegistryException(RegistryHttp.this.endpoint.untrusted(ex), 0, 0, ex);
				}
				this.last = new Unanswered(HttpEndpoint.describe(ex), 0, ex);
				throw this.last;
			}
			int status = answer.status();
			if (status != 429 && status < 500) {
				return answer;
			}
			this.last = new Unanswered(this.textAnswer ? describe(answer) : "HTTP " + status, status, null);
			throw this.last;
		}

		@Override
		public BackOffExecution start() {
			int maxAttempts = RegistryHttp.this.properties.maxAttempts();
			long first = RegistryHttp.this.properties.initialBackoff().toMillis();
			ExponentialBackOff doubling = new ExponentialBackOff(first, 2);
			doubling.setMaxInterval(MAX_BACKOFF.toMillis());
			doubling.setMaxAttempts(maxAttempts - 1);
			BackOffExecution pauses = doubling.start();
			return () -> {
				long pause = pauses.nextBackOff();
				if (pause != BackOffExecution.STOP) {
					logger.warn("Schema registry {}: {} {} failed (attempt {} of {}): {}; retrying in {} ms", url(),
							this.method, this.path, this.made, maxAttempts, this.last.getMessage(), pause);
				}
				return pause;
			};
		}

	}

}
