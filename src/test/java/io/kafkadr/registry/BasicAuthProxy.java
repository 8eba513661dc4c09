package io.kafkadr.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A reverse proxy in front of a real registry that demands HTTP basic auth, as a secured registry
 * (or the gateway before it) does, and that can be told to fail the next requests with a 5xx or 429.
 */
final class BasicAuthProxy implements AutoCloseable {

	private final URI target;

	private final String expectedAuthorization;

	private final HttpServer server;

	private final HttpClient forwarder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final AtomicInteger requests = new AtomicInteger();

	private final AtomicInteger failuresLeft = new AtomicInteger();

	private volatile int failureStatus = 503;

	private BasicAuthProxy(URI target, String user, String password) throws IOException {
		this.target = target;
		this.expectedAuthorization = "Basic "
				+ Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/** Starts a proxy on a free port for the registry API at {@code targetUrl}. */
	static BasicAuthProxy start(String targetUrl, String user, String password) throws IOException {
		return new BasicAuthProxy(URI.create(targetUrl), user, password);
	}

	/** The registry API root as seen through this proxy. */
	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + this.target.getRawPath();
	}

	/** Answers the next {@code count} authenticated requests with {@code status} instead of forwarding them. */
	void failNext(int count, int status) {
		this.failureStatus = status;
		this.failuresLeft.set(count);
	}

	/** Requests received since the last {@link #reset()}. */
	int requests() {
		return this.requests.get();
	}

	void reset() {
		this.requests.set(0);
		this.failuresLeft.set(0);
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.forwarder.close();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try {
			this.requests.incrementAndGet();
			byte[] body = exchange.getRequestBody().readAllBytes();
			if (!this.expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
				exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"registry\"");
				respond(exchange, 401, "application/json", "{\"error_code\":401,\"message\":\"Unauthorized\"}"
					.getBytes(StandardCharsets.UTF_8));
				return;
			}
			if (this.failuresLeft.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) {
				respond(exchange, this.failureStatus, "text/plain",
						"injected failure".getBytes(StandardCharsets.UTF_8));
				return;
			}
			HttpResponse<byte[]> answer = this.forwarder.send(forwardRequest(exchange, body),
					HttpResponse.BodyHandlers.ofByteArray());
			respond(exchange, answer.statusCode(),
					answer.headers().firstValue("Content-Type").orElse("application/json"), answer.body());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			respond(exchange, 502, "text/plain", new byte[0]);
		}
		finally {
			exchange.close();
		}
	}

	private HttpRequest forwardRequest(HttpExchange exchange, byte[] body) {
		URI incoming = exchange.getRequestURI();
		// The raw path keeps encoded subject names (a%2Fb) exactly as the client sent them.
		String uri = this.target.getScheme() + "://" + this.target.getRawAuthority() + incoming.getRawPath()
				+ ((incoming.getRawQuery() != null) ? "?" + incoming.getRawQuery() : "");
		HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(uri))
			.method(exchange.getRequestMethod(), (body.length == 0) ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofByteArray(body));
		for (String header : new String[] { "Accept", "Content-Type" }) {
			String value = exchange.getRequestHeaders().getFirst(header);
			if (value != null) {
				forward.header(header, value);
			}
		}
		return forward.build();
	}

	private static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
			throws IOException {
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(status, (body.length == 0) ? -1 : body.length);
		if (body.length > 0) {
			exchange.getResponseBody().write(body);
		}
	}

}
