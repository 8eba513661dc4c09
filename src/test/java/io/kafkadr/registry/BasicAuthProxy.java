package io.kafkadr.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kafkadr.sandbox.SandboxTls;

/**
 * A reverse proxy in front of a real registry that demands HTTP basic auth, as a secured registry
 * (or the gateway before it) does, and that can be told to fail the next requests with a 5xx or 429.
 * Given a TLS identity it serves HTTPS, as a gateway terminating TLS does.
 */
public final class BasicAuthProxy implements AutoCloseable {

	private final URI target;

	private final String expectedAuthorization;

	private final HttpServer server;

	private final HttpClient forwarder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final AtomicInteger requests = new AtomicInteger();

	private final AtomicInteger failuresLeft = new AtomicInteger();

	private volatile int failureStatus = 503;

	private volatile int passesLeft = Integer.MAX_VALUE;

	private final String scheme;

	private BasicAuthProxy(URI target, String user, String password, SandboxTls tls) throws IOException {
		this.target = target;
		this.expectedAuthorization = "Basic "
				+ Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
		if (tls != null) {
			HttpsServer https = HttpsServer.create(address, 0);
			https.setHttpsConfigurator(new HttpsConfigurator(serverContext(tls)));
			this.server = https;
		}
		else {
			this.server = HttpServer.create(address, 0);
		}
		this.scheme = (tls != null) ? "https" : "http";
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/** Starts a proxy on a free port for the registry API at {@code targetUrl}. */
	static BasicAuthProxy start(String targetUrl, String user, String password) throws IOException {
		return new BasicAuthProxy(URI.create(targetUrl), user, password, null);
	}

	/** Starts an HTTPS proxy presenting the certificate of {@code tls}, on a free port. */
	public static BasicAuthProxy start(String targetUrl, String user, String password, SandboxTls tls)
			throws IOException {
		return new BasicAuthProxy(URI.create(targetUrl), user, password, tls);
	}

	/** The registry API root as seen through this proxy. */
	public String url() {
		return this.scheme + "://127.0.0.1:" + this.server.getAddress().getPort() + this.target.getRawPath();
	}

	/** Forwards the next {@code passing} authenticated requests, then answers every later one with {@code status}. */
	public void failAfter(int passing, int status) {
		this.failureStatus = status;
		this.passesLeft = passing;
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

	public void reset() {
		this.requests.set(0);
		this.failuresLeft.set(0);
		this.passesLeft = Integer.MAX_VALUE;
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
			if (this.failuresLeft.getAndUpdate((left) -> Math.max(0, left - 1)) > 0 || !pass()) {
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

	private synchronized boolean pass() {
		if (this.passesLeft == 0) {
			return false;
		}
		if (this.passesLeft != Integer.MAX_VALUE) {
			this.passesLeft--;
		}
		return true;
	}

	private static SSLContext serverContext(SandboxTls tls) throws IOException {
		try (InputStream in = Files.newInputStream(tls.keyStore())) {
			KeyStore store = KeyStore.getInstance(SandboxTls.TYPE);
			store.load(in, tls.password().toCharArray());
			KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keys.init(store, tls.password().toCharArray());
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keys.getKeyManagers(), null, null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IOException("Cannot use the key store " + tls.keyStore(), ex);
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
