package io.kafkadr.restore;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A reverse proxy in front of a real registry, as a gateway or a Kubernetes service is: while the
 * registry is down it answers 502. A test can have it run an action (stop the registry) when the
 * first request for some path arrives, before forwarding that request, to bring an outage at an
 * exact point of a restore.
 */
final class RegistryGateway implements AutoCloseable {

	private final URI target;

	private final HttpServer server;

	private final HttpClient forwarder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final AtomicReference<Trigger> trigger = new AtomicReference<>();

	private record Trigger(String pathPart, Runnable action) {
	}

	private RegistryGateway(URI target) throws IOException {
		this.target = target;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/** Starts a gateway on a free port for the registry API at {@code targetUrl}. */
	static RegistryGateway start(String targetUrl) {
		try {
			return new RegistryGateway(URI.create(targetUrl));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The registry API root as seen through this gateway. */
	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + this.target.getRawPath();
	}

	/** Runs {@code action} once, when the first request whose path contains {@code pathPart} arrives. */
	void onFirstRequest(String pathPart, Runnable action) {
		this.trigger.set(new Trigger(pathPart, action));
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.forwarder.close();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try {
			byte[] body = exchange.getRequestBody().readAllBytes();
			Trigger armed = this.trigger.get();
			if (armed != null && exchange.getRequestURI().getRawPath().contains(armed.pathPart())
					&& this.trigger.compareAndSet(armed, null)) {
				armed.action().run();
			}
			HttpResponse<byte[]> answer = this.forwarder.send(forward(exchange, body),
					HttpResponse.BodyHandlers.ofByteArray());
			respond(exchange, answer.statusCode(), answer.headers().firstValue("Content-Type").orElse("application/json"),
					answer.body());
		}
		catch (IOException ex) {
			respond(exchange, 502, "text/plain", ("Bad gateway: " + ex).getBytes(StandardCharsets.UTF_8));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			respond(exchange, 502, "text/plain", new byte[0]);
		}
		finally {
			exchange.close();
		}
	}

	private HttpRequest forward(HttpExchange exchange, byte[] body) {
		URI incoming = exchange.getRequestURI();
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

	private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", contentType);
		exchange.sendResponseHeaders(status, (body.length == 0) ? -1 : body.length);
		if (body.length > 0) {
			exchange.getResponseBody().write(body);
		}
	}

}
