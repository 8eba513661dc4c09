package io.kafkadr.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.kafkadr.tls.HttpsTrust;

/**
 * A real Apicurio Registry 3 process, serving the Confluent-compatible API, started from the
 * distribution the build unpacks into {@code target/apicurio-registry}. It keeps schemas in memory,
 * so every start is an empty registry; a stopped registry comes back on the same port. Started with a
 * TLS identity, it serves HTTPS only.
 */
public final class RegistrySandbox implements AutoCloseable {

	/** The system property (or {@code kafka-dr.sandbox.registry-home} setting) naming the distribution. */
	public static final String HOME_PROPERTY = "kafka-dr.sandbox.registry-home";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	/**
	 * The JVM's ahead-of-time cache of Apicurio's start (JDK 25), beside the distribution: the first
	 * registry of a build writes it as it exits, every later one starts from it (in about a third of
	 * the CPU time, which the tests' forty-odd registries on 2 cores feel).
	 */
	private static final String AOT_CACHE = "quarkus-run.aot";

	private final Path home;

	private final int port;

	private final Path log;

	private final SandboxTls tls;

	private Process process;

	/** Where this registry's JVM writes the cache as it exits, while no cache exists; else null. */
	private Path training;

	private RegistrySandbox(Path home, int port, Path log, SandboxTls tls) {
		this.home = home;
		this.port = port;
		this.log = log;
		this.tls = tls;
	}

	/**
	 * One registry for the test classes whose subjects and assertions are their own (names no other
	 * class registers, nothing that lists every subject exactly): started by the first of them,
	 * stopped after the last test class; they must not stop it.
	 */
	public static RegistrySandbox shared() {
		return SharedSandboxes.REGISTRY.get();
	}

	/** Starts a registry on a free port and waits until its API answers. */
	public static RegistrySandbox start() {
		return start(null);
	}

	/**
	 * Starts a registry that serves HTTPS only, presenting the certificate of {@code tls} (plain HTTP
	 * when it is {@code null}), and waits until its API answers.
	 */
	public static RegistrySandbox start(SandboxTls tls) {
		RegistrySandbox registry = new RegistrySandbox(locateHome(), freePort(), tempLog(), tls);
		registry.startProcess();
		return registry;
	}

	/** The Confluent-compatible API root, for {@code kafka-dr.registry.url}. */
	public String url() {
		return ((this.tls != null) ? "https" : "http") + "://localhost:" + this.port + "/apis/ccompat/v7";
	}

	/** Kills the registry process, as a crash or an outage would. */
	public void stop() {
		if (this.process != null) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process = null;
		}
	}

	/** Starts a fresh (empty) registry on the same port after {@link #stop()}. */
	public void restart() {
		stop();
		startProcess();
	}

	@Override
	public void close() {
		if (this.training != null && this.process != null) {
			// The JVM writes the cache as it exits: end it as a pod is ended, then publish the cache whole.
			this.process.destroy();
			try {
				if (this.process.waitFor(60, TimeUnit.SECONDS) && Files.isRegularFile(this.training)) {
					Files.move(this.training, this.home.resolve(AOT_CACHE), StandardCopyOption.ATOMIC_MOVE,
							StandardCopyOption.REPLACE_EXISTING);
				}
			}
			catch (IOException ex) {
				// no cache: the next registry trains one
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		stop();
	}

	private void startProcess() {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Xmx256m");
		command.addAll(startUpSettings());
		if (this.tls != null) {
			// Quarkus' TLS registry; no plain HTTP port is opened at all.
			command.add("-Dquarkus.http.ssl-port=" + this.port);
			command.add("-Dquarkus.http.insecure-requests=disabled");
			command.add("-Dquarkus.tls.key-store.p12.path=" + this.tls.keyStore());
			command.add("-Dquarkus.tls.key-store.p12.password=" + this.tls.password());
		}
		else {
			command.add("-Dquarkus.http.port=" + this.port);
		}
		command.add("-Dquarkus.http.host=127.0.0.1");
		// Apicurio opens a management port (9000) besides the API; several registries must run side by side.
		command.add("-Dquarkus.management.port=0");
		command.add("-Dquarkus.log.level=WARN");
		command.add("-Dapicurio.ccompat.max-subjects=100000");
		command.add("-jar");
		command.add(this.home.resolve("quarkus-run.jar").toString());
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start Apicurio Registry from " + this.home, ex);
		}
		awaitReady();
	}

	/**
	 * A registry for tests serves few requests: compiling with C1 only and the serial collector halve
	 * the CPU its start takes, and the AOT cache (on a JDK that has one) halves it again.
	 */
	private List<String> startUpSettings() {
		List<String> settings = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
		if (Runtime.version().feature() >= 25) {
			Path cache = this.home.resolve(AOT_CACHE);
			if (Files.isRegularFile(cache)) {
				this.training = null;
				settings.add("-XX:AOTCache=" + cache);
			}
			else {
				this.training = this.home.resolve(AOT_CACHE + "." + ProcessHandle.current().pid() + "-" + this.port);
				settings.add("-XX:AOTCacheOutput=" + this.training);
			}
		}
		return settings;
	}

	private void awaitReady() {
		HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
		HttpClient client = ((this.tls != null) ? HttpsTrust
			.load("sandbox", this.tls.trustStore().toString(), this.tls.password(), SandboxTls.TYPE)
			.configure(builder) : builder).build();
		HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects")).timeout(Duration.ofSeconds(2)).build();
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("Apicurio Registry exited during startup; see " + this.log);
			}
			try {
				if (client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for Apicurio Registry", ex);
			}
			this.process.onExit().completeOnTimeout(null, 100, TimeUnit.MILLISECONDS).join();
		}
		stop();
		throw new IllegalStateException("Apicurio Registry did not answer within " + START_TIMEOUT + "; see " + this.log);
	}

	private static Path locateHome() {
		String configured = System.getProperty(HOME_PROPERTY);
		List<Path> candidates = new ArrayList<>();
		if (configured != null) {
			candidates.add(Path.of(configured));
		}
		candidates.add(Path.of("target", "apicurio-registry"));
		for (Path candidate : candidates) {
			if (Files.isRegularFile(candidate.resolve("quarkus-run.jar"))) {
				return candidate.toAbsolutePath();
			}
		}
		throw new IllegalStateException("No Apicurio Registry distribution found at " + candidates
				+ ". Run ./mvnw package once (it unpacks the registry into target/apicurio-registry), or set -D"
				+ HOME_PROPERTY + " to an unpacked apicurio-registry-app distribution.");
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path tempLog() {
		try {
			return Files.createTempFile("apicurio-registry-", ".log");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
