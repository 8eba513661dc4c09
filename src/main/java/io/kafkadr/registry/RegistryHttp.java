package io.kafkadr.registry;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import io.kafkadr.tls.HttpsTrust;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/** The HTTP side of {@link RegistryClient}: headers, credentials, retries, and errors as exceptions. */
final class RegistryHttp {

	private static final Logger logger = LoggerFactory.getLogger(RegistryHttp.class);

	private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/json";

	private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private final RegistryProperties properties;

	private final String authorization;

	private final HttpsTrust trust;

	private final HttpClient client;

	private final JsonMapper json = JsonMapper.builder().build();

	RegistryHttp(RegistryProperties properties) {
		if (properties.url() == null) {
			throw new IllegalArgumentException("No schema registry configured: set kafka-dr.registry.url");
		}
		if (URI.create(properties.url()).getUserInfo() != null) {
			// Refused so that a password can never reach a log line or an exception message via the URL.
			throw new IllegalArgumentException("kafka-dr.registry.url must not contain credentials; "
					+ "put them in kafka-dr.registry.basic-auth-user-info instead");
		}
		this.properties = properties;
		this.authorization = (properties.basicAuthUserInfo() != null) ? "Basic " + Base64.getEncoder()
			.encodeToString(properties.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8)) : null;
		this.trust = HttpsTrust.load("kafka-dr.registry", properties.trustStore(), properties.trustStorePassword(),
				properties.trustStoreType());
		// HTTP/1.1: the JDK's default h2c upgrade attempt on plain http trips up some proxies.
		this.client = this.trust.configure(HttpClient.newBuilder())
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(properties.connectTimeout())
			.build();
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
		RegistryAnswer answer = send(method, path, body);
		if (!answer.ok()) {
			throw failure(method, path, answer);
		}
		return answer.json();
	}

	/** Like {@link #exchange} but a 404 answer means "no such thing" rather than an error. */
	Optional<JsonNode> exchangeIfFound(String method, String path, Object body) {
		RegistryAnswer answer = send(method, path, body);
		if (answer.status() == 404) {
			return Optional.empty();
		}
		if (!answer.ok()) {
			throw failure(method, path, answer);
		}
		return Optional.of(answer.json());
	}

	/** Sends the request to a URL outside the API root (another API of the same registry); JSON or nothing back. */
	Optional<JsonNode> exchangeAtIfFound(String method, String url, byte[] body, String contentType) {
		HttpRequest.Builder builder = builder(url).header("Accept", "application/json");
		HttpRequest request = (body == null) ? builder.method(method, HttpRequest.BodyPublishers.noBody()).build()
				: builder.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();
		HttpResponse<String> response = attempt(method, url, request, HttpResponse.BodyHandlers.ofString());
		RegistryAnswer answer = RegistryAnswer.of(response.statusCode(), response.body(), this.json);
		if (answer.status() == 404) {
			return Optional.empty();
		}
		if (!answer.ok()) {
			throw failure(method, url, answer);
		}
		return Optional.of(answer.json());
	}

	/** The bytes at a URL outside the API root (an export archive). */
	byte[] download(String url) {
		HttpResponse<byte[]> response = attempt("GET", url, builder(url).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
		if (response.statusCode() < 200 || response.statusCode() >= 300) {
			throw failure("GET", url, RegistryAnswer.of(response.statusCode(),
					new String(response.body(), StandardCharsets.UTF_8), this.json));
		}
		return response.body();
	}

	private RegistryAnswer send(String method, String path, Object body) {
		// Retrying is safe even for POST: registering a schema the subject already has returns its id again.
		HttpResponse<String> response = attempt(method, path, request(method, path, body),
				HttpResponse.BodyHandlers.ofString());
		return RegistryAnswer.of(response.statusCode(), response.body(), this.json);
	}

	/** Sends until an answer that is not worth retrying, or throws after the configured attempts. */
	private <T> HttpResponse<T> attempt(String method, String path, HttpRequest request,
			HttpResponse.BodyHandler<T> handler) {
		int maxAttempts = this.properties.maxAttempts();
		BackOffExecution backOff = backOff().start();
		String lastProblem = null;
		IOException lastException = null;
		int lastStatus = 0;
		for (int attempt = 1; attempt <= maxAttempts; attempt++) {
			try {
				HttpResponse<T> response = this.client.send(request, handler);
				int status = response.statusCode();
				if (status != 429 && status < 500) {
					return response;
				}
				lastStatus = status;
				lastException = null;
				lastProblem = (response.body() instanceof String text)
						? RegistryAnswer.of(status, text, this.json).describe() : "HTTP " + status;
			}
			catch (IOException ex) {
				if (HttpsTrust.isHandshakeFailure(ex)) {
					throw new RegistryException(this.trust.describeFailure("The schema registry at " + url(), ex), 0, 0, ex);
				}
				lastStatus = 0;
				lastException = ex;
				lastProblem = describe(ex);
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

	private HttpRequest.Builder builder(String url) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(this.properties.requestTimeout());
		if (this.authorization != null) {
			builder.header("Authorization", this.authorization);
		}
		return builder;
	}

	private HttpRequest request(String method, String path, Object body) {
		HttpRequest.Builder builder = builder(url() + path).header("Accept", ACCEPT);
		if (body == null) {
			return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
		}
		return builder.header("Content-Type", CONTENT_TYPE)
			.method(method, HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body)))
			.build();
	}

	private RegistryException failure(String method, String path, RegistryAnswer answer) {
		if (answer.status() == 401 || answer.status() == 403) {
			String problem = (this.authorization != null) ? "refused the credentials" : "requires credentials";
			return new RegistryException("The schema registry at " + url() + " " + problem + " (HTTP "
					+ answer.status() + ") for " + method + " " + path
					+ "; check kafka-dr.registry.basic-auth-user-info.", answer.status(), answer.errorCode());
		}
		return new RegistryException("The schema registry at " + url() + " answered " + method + " " + path + " with "
				+ answer.describe() + ".", answer.status(), answer.errorCode());
	}

	private RegistryUnavailableException interrupted(String method, String path, int attempt, InterruptedException ex) {
		Thread.currentThread().interrupt();
		return new RegistryUnavailableException("Interrupted while waiting for the schema registry at " + url()
				+ " to answer " + method + " " + path + ".", attempt, 0, ex);
	}

	private static String describe(IOException ex) {
		// The JDK client throws a bare ConnectException for a refused connection; details, if any, are in its causes.
		String detail = null;
		for (Throwable cause = ex; cause != null && detail == null; cause = cause.getCause()) {
			detail = cause.getMessage();
		}
		if (detail == null && ex instanceof ConnectException) {
			detail = "connection refused or host unreachable";
		}
		return ex.getClass().getSimpleName() + ((detail != null) ? ": " + detail : "");
	}

	/** Pauses between attempts: doubling from {@code kafka-dr.registry.initial-backoff}, at most 30 s each. */
	private ExponentialBackOff backOff() {
		ExponentialBackOff backOff = new ExponentialBackOff(this.properties.initialBackoff().toMillis(), 2);
		backOff.setMaxInterval(MAX_BACKOFF.toMillis());
		return backOff;
	}

}
