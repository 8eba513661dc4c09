package io.kafkadr.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.springframework.util.FileSystemUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 API server, s3proxy with its filesystem backend in a temporary directory, running as a
 * child process on a free port of this machine for one test class. It takes one fixed identity
 * (access key id) and credential (secret key), with AWS signature version 2 or 4.
 */
public final class S3Sandbox implements AutoCloseable {

	/** The jar the build copies there (pom.xml, copy-s3proxy). */
	private static final Path JAR = Path.of("target", "s3proxy", "s3proxy.jar");

	private static final String ACCESS_KEY_ID = "kafka-dr-test";

	private static final String SECRET_ACCESS_KEY = "kafka-dr-test-secret";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private final Process process;

	private final int port;

	private final Path directory;

	private final Path log;

	private final S3Client client;

	private S3Sandbox(Process process, int port, Path directory, Path log) {
		this.process = process;
		this.port = port;
		this.directory = directory;
		this.log = log;
		this.client = S3Client.builder()
			.endpointOverride(endpoint())
			.region(Region.US_EAST_1)
			.forcePathStyle(true)
			.credentialsProvider(credentials())
			.build();
	}

	/** Starts s3proxy and waits until it answers HTTP requests. */
	public static S3Sandbox start() {
		if (!Files.isRegularFile(JAR)) {
			throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: ./mvnw process-test-resources (or any"
					+ " later phase) copies it there from Maven Central (org.gaul:s3proxy, jar-with-dependencies).");
		}
		try {
			int port = freePort();
			Path directory = Files.createTempDirectory("s3proxy-");
			Path data = Files.createDirectory(directory.resolve("data"));
			Path configuration = directory.resolve("s3proxy.properties");
			Properties properties = new Properties();
			properties.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
			properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
			properties.setProperty("s3proxy.identity", ACCESS_KEY_ID);
			properties.setProperty("s3proxy.credential", SECRET_ACCESS_KEY);
			// the backend s3proxy recommends; filesystem (jclouds') is deprecated
			properties.setProperty("jclouds.provider", "filesystem-nio2");
			properties.setProperty("jclouds.filesystem.basedir", data.toString());
			// s3proxy's start demands a backend identity, which a filesystem does not check
			properties.setProperty("jclouds.identity", "filesystem");
			properties.setProperty("jclouds.credential", "filesystem");
			try (Writer writer = Files.newBufferedWriter(configuration)) {
				properties.store(writer, "S3Sandbox");
			}
			Path log = directory.resolve("s3proxy.log");
			List<String> command = new ArrayList<>();
			command.add(ProcessHandle.current()
				.info()
				.command()
				.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
			// a test server for a few megabytes at a time: a small heap, and the quick start of ChildProcess
			command.add("-Xmx256m");
			command.addAll(ChildProcess.QUICK_START);
			command.add("-jar");
			command.add(JAR.toAbsolutePath().toString());
			command.add("--properties");
			command.add(configuration.toString());
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
			// s3proxy logs every request at INFO
			builder.environment().put("LOG_LEVEL", "warn");
			S3Sandbox sandbox = new S3Sandbox(builder.start(), port, directory, log);
			try {
				sandbox.awaitReady();
			}
			catch (RuntimeException ex) {
				sandbox.close();
				throw ex;
			}
			return sandbox;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The URI to give a client as its endpoint; path-style access only (no virtual host names). */
	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	/** The one identity s3proxy accepts, as an SDK credentials provider. */
	public AwsCredentialsProvider credentials() {
		return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY));
	}

	/** The identity with a secret key that is not its own, for the access denied errors. */
	public AwsCredentialsProvider wrongSecret() {
		return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY + "-not"));
	}

	public String accessKeyId() {
		return ACCESS_KEY_ID;
	}

	public String secretAccessKey() {
		return SECRET_ACCESS_KEY;
	}

	/** A client of the server with its one identity, for tests that look at the bucket directly; closed with the sandbox. */
	public S3Client client() {
		return this.client;
	}

	/** Creates a bucket. */
	public void createBucket(String name) {
		this.client.createBucket((request) -> request.bucket(name));
	}

	private void awaitReady() {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		HttpRequest probe = HttpRequest.newBuilder(endpoint()).timeout(Duration.ofSeconds(2)).build();
		Awaitility.await("s3proxy on port " + this.port)
			.atMost(START_TIMEOUT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("s3proxy ended during its start:\n" + Files.readString(this.log));
				}
				try {
					// any answer (an anonymous request is refused) means it serves
					http.send(probe, HttpResponse.BodyHandlers.discarding());
					return true;
				}
				catch (IOException ex) {
					return false;
				}
			});
	}

	@Override
	public void close() {
		this.client.close();
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		try {
			FileSystemUtils.deleteRecursively(this.directory);
		}
		catch (IOException ex) {
			// a temporary directory: the system clears what is left
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
