package io.kafkadr.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import io.kafkadr.tls.HttpsTrust;
import tools.jackson.databind.json.JsonMapper;

/**
 * One HTTP API kafka-dr calls (the schema registry's, Kafka Connect's, a Pushgateway's): its root URL,
 * credentials, trusted certificates and timeouts, on the JDK's {@link HttpClient}. Retries and what an
 * answer means are the caller's. Thread-safe; share one per API.
 */
public final class HttpEndpoint {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final String server;

	private final String settings;

	private final String url;

	private final String authorization;

	private final HttpsTrust trust;

	private final Duration requestTimeout;

	private final HttpClient client;

	private HttpEndpoint(String name, String settings, String url, String authorization, HttpsTrust trust,
			Duration connectTimeout, Duration requestTimeout) {
		this.server = name + " at " + url;
		this.settings = settings;
		this.url = url;
		this.authorization = authorization;
		this.trust = trust;
		this.requestTimeout = requestTimeout;
		// HTTP/1.1: the JDK's default h2c upgrade attempt on plain http trips up some proxies.
		HttpClient.Builder builder = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(connectTimeout);
		this.client = ((trust != null) ? trust.configure(builder) : builder).build();
	}

	/**
	 * The API that the settings under {@code prefix} describe.
	 * @param name what messages call the server, e.g. {@code The schema registry}
	 * @throws IllegalArgumentException when the URL holds credentials or the trust store cannot be read
	 */
	public static HttpEndpoint configured(String name, String prefix, HttpSettings settings, Duration connectTimeout) {
		if (URI.create(settings.url()).getUserInfo() != null) {
			// Refused so that a password can never reach a log line or an exception message via the URL.
			throw new IllegalArgumentException(prefix + ".url must not contain credentials; put them in " + prefix
					+ ".basic-auth-user-info instead");
		}
		HttpsTrust trust = HttpsTrust.load(prefix, settings.trustStore(), settings.trustStorePassword(),
				settings.trustStoreType());
		return new HttpEndpoint(name, prefix, settings.url(), basicAuthorization(settings.basicAuthUserInfo()), trust,
				connectTimeout, settings.requestTimeout());
	}

	/** The API at {@code url}, sent this {@code Authorization} header (or none), trusting the JVM's default CAs. */
	public static HttpEndpoint of(String name, URI url, String authorization, Duration timeout) {
		return new HttpEndpoint(name, null, url.toString(), authorization, null, timeout, timeout);
	}

	/** The {@code Authorization} header for HTTP basic auth as {@code user:password}; {@code null} for none. */
	public static String basicAuthorization(String userInfo) {
		return (userInfo != null)
				? "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)) : null;
	}

	/** The value as a JSON request body. */
	public static byte[] json(Object value) {
		return JSON.writeValueAsBytes(value);
	}

	public String url() {
		return this.url;
	}

	/** The server as messages name it, e.g. {@code The schema registry at https://…}. */
	public String server() {
		return this.server;
	}

	/**
	 * A request to {@code url} (this API's, or another on the same server) with the credentials and the
	 * request timeout.
	 * @param accept the {@code Accept} header, or {@code null} for none
	 * @param body the body, of type {@code contentType}, or {@code null} for none
	 */
	public HttpRequest request(String method, String url, String accept, String contentType, byte[] body) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(this.requestTimeout);
		if (this.authorization != null) {
			builder.header("Authorization", this.authorization);
		}
		if (accept != null) {
			builder.header("Accept", accept);
		}
		if (body == null) {
			return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
		}
		return builder.header("Content-Type", contentType)
			.method(method, HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
	}

	/** Sends the request and returns whatever the server answered, error statuses included. */
	public HttpAnswer send(HttpRequest request) throws IOException, InterruptedException {
		HttpResponse<byte[]> response = this.client.send(request, HttpResponse.BodyHandlers.ofByteArray());
		return new HttpAnswer(response.statusCode(), response.body(), response.headers());
	}

	/**
	 * Why a request to a {@link #configured} API failed its TLS handshake
	 * ({@link HttpsTrust#isHandshakeFailure}), naming the trust store in use and the settings to change.
	 */
	public String untrusted(IOException failure) {
		return this.trust.describeFailure(this.server, failure);
	}

	/** What a {@link #configured} API's 401 or 403 to {@code request} ({@code GET /x}) means, and what to check. */
	public String credentialsFailure(int status, String request) {
		String problem = (this.authorization != null) ? "refused the credentials" : "requires credentials";
		return this.server + " " + problem + " (HTTP " + status + ") for " + request + "; check " + this.settings
				+ ".basic-auth-user-info.";
	}

	/** A failure to get any answer, for messages: the exception's type and its first detail. */
	public static String describe(IOException failure) {
		// The JDK client throws a bare ConnectException for a refused connection; details, if any, are in its causes.
		String detail = null;
		for (Throwable cause = failure; cause != null && detail == null; cause = cause.getCause()) {
			detail = cause.getMessage();
		}
		if (detail == null && failure instanceof ConnectException) {
			detail = "connection refused or host unreachable";
		}
		return failure.getClass().getSimpleName() + ((detail != null) ? ": " + detail : "");
	}

}
