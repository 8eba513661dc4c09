package io.kafkadr.kafka;

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
 * A reverse proxy for GET requests in front of a real Connect worker that demands HTTP basic auth,
 * as a secured Connect cluster (or the gateway before it) does.
 */
final class BasicAuthGate implements AutoCloseable {

	private final String target;

	private final String expectedAuthorization;

	private final HttpServer server;

	private final HttpClient forwarder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final AtomicInteger refused = new AtomicInteger();

	private BasicAuthGate(String target, String userInfo) throws IOException {
		this.target = target;
		this.expectedAuthorization = "Basic "
				+ Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/** Starts a gate on a free port that lets through requests as {@code userInfo} ({@code user:password}). */
	static BasicAuthGate start(String targetUrl, String userInfo) throws IOException {
		return new BasicAuthGate(targetUrl, userInfo);
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** How many requests were turned away for missing or wrong credentials. */
	int refused() {
		return this.refused.get();
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.forwarder.close();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!this.expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
				this.refused.incrementAndGet();
				exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"connect\"");
				answer(exchange, 401, "{\"error_code\":401,\"message\":\"User cannot access the resource.\"}");
				return;
			}
			HttpResponse<String> response = this.forwarder.send(
					HttpRequest.newBuilder(URI.create(this.target + exchange.getRequestURI())).GET().build(),
					HttpResponse.BodyHandlers.ofString());
			answer(exchange, response.statusCode(), response.body());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void answer(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
	}

}
