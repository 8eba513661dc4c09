package io.kafkadr.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft Kafka cluster (broker and controller in this JVM), built with Kafka's
 * own test kit. The demo and the tests use it; it is never used against a user's cluster.
 *
 * <p>Settings are those of a small production broker with replication factor 1, so that
 * transactions, compaction and retention behave as they do in a real cluster. A restarted broker
 * keeps its ports, so clients reconnect as they would to a rebooted broker.
 *
 * <p>A secured sandbox ({@link #startSecured}) also listens for SCRAM-SHA-512 clients, over plain
 * TCP ({@value #SCRAM_LISTENER}) and, given a TLS identity, over TLS ({@value #SCRAM_TLS_LISTENER}).
 * Its plaintext listener stays, as the inter-broker listener and for whatever seeds or inspects the
 * cluster in a test, so that only the code under test has to get security right.
 */
public final class KafkaSandbox implements AutoCloseable {

	/** The SASL_PLAINTEXT listener of a secured sandbox. */
	public static final String SCRAM_LISTENER = "SCRAM";

	/** The SASL_SSL listener of a secured sandbox started with a TLS identity. */
	public static final String SCRAM_TLS_LISTENER = "SCRAM_TLS";

	/** The only SASL mechanism the secured listeners accept. */
	public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

	private static final Duration SCRAM_USER_TIMEOUT = Duration.ofSeconds(30);

	private final KafkaClusterTestKit cluster;

	private final Map<String, Integer> securedPorts;

	private KafkaSandbox(KafkaClusterTestKit cluster, Map<String, Integer> securedPorts) {
		this.cluster = cluster;
		this.securedPorts = securedPorts;
	}

	/** Formats and starts a fresh cluster, waiting until the broker accepts requests. */
	public static KafkaSandbox start() {
		return start(Map.of());
	}

	/** Formats and starts a fresh cluster with extra broker settings. */
	public static KafkaSandbox start(Map<String, String> brokerSettings) {
		return start(brokerSettings, Map.of());
	}

	/**
	 * Formats and starts a fresh cluster with the SCRAM-SHA-512 listeners: {@value #SCRAM_LISTENER}
	 * always, {@value #SCRAM_TLS_LISTENER} when {@code tls} is given. It has no users until
	 * {@link #addScramUser} adds them.
	 */
	public static KafkaSandbox startSecured(SandboxTls tls) {
		Map<String, Integer> ports = new LinkedHashMap<>();
		ports.put(SCRAM_LISTENER, freePort());
		if (tls != null) {
			ports.put(SCRAM_TLS_LISTENER, freePort());
		}
		Map<String, String> settings = new HashMap<>();
		StringBuilder listeners = new StringBuilder("EXTERNAL://localhost:0,CONTROLLER://localhost:0");
		StringBuilder protocols = new StringBuilder("EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
		ports.forEach((listener, port) -> {
			listeners.append(',').append(listener).append("://localhost:").append(port);
			protocols.append(',').append(listener).append(':').append(listener.equals(SCRAM_LISTENER) ? "SASL_PLAINTEXT" : "SASL_SSL");
			String prefix = "listener.name." + listener.toLowerCase() + ".";
			settings.put(prefix + "sasl.enabled.mechanisms", SCRAM_MECHANISM);
			// The server side of SCRAM needs no login of its own: it checks clients against the cluster's credentials.
			settings.put(prefix + SCRAM_MECHANISM.toLowerCase() + ".sasl.jaas.config",
					"org.apache.kafka.common.security.scram.ScramLoginModule required;");
		});
		if (tls != null) {
			String prefix = "listener.name." + SCRAM_TLS_LISTENER.toLowerCase() + ".";
			settings.put(prefix + SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, tls.keyStore().toString());
			settings.put(prefix + SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, tls.password());
			settings.put(prefix + SslConfigs.SSL_KEY_PASSWORD_CONFIG, tls.password());
			settings.put(prefix + SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, SandboxTls.TYPE);
		}
		settings.put("listeners", listeners.toString());
		settings.put("listener.security.protocol.map", protocols.toString());
		settings.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
		return start(settings, ports);
	}

	private static KafkaSandbox start(Map<String, String> brokerSettings, Map<String, Integer> securedPorts) {
		try {
			KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(
					new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build());
			Map.of("offsets.topic.replication.factor", "1", "offsets.topic.num.partitions", "1",
					"transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1",
					"transaction.state.log.num.partitions", "1", "group.initial.rebalance.delay.ms", "0",
					"auto.create.topics.enable", "false", "log.cleaner.backoff.ms", "100",
					"message.max.bytes", "4194304")
				.forEach(builder::setConfigProp);
			brokerSettings.forEach(builder::setConfigProp);
			KafkaClusterTestKit cluster = builder.build();
			formatQuietly(cluster);
			cluster.startup();
			cluster.waitForReadyBrokers();
			return new KafkaSandbox(cluster, Map.copyOf(securedPorts));
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not start the sandbox Kafka broker: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Kafka's storage formatter prints to standard output, where the demo's report goes; its lines
	 * are for operators formatting real disks, so the sandbox hides them.
	 */
	private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
		PrintStream standardOut = System.out;
		synchronized (KafkaSandbox.class) {
			System.setOut(new PrintStream(OutputStream.nullOutputStream()));
			try {
				cluster.format();
			}
			finally {
				System.setOut(standardOut);
			}
		}
	}

	/** The bootstrap address of the broker, for {@code spring.kafka.bootstrap-servers}. */
	public String bootstrapServers() {
		return this.cluster.bootstrapServers();
	}

	/**
	 * The bootstrap address of a listener of a secured sandbox ({@value #SCRAM_LISTENER} or
	 * {@value #SCRAM_TLS_LISTENER}).
	 */
	public String bootstrapServers(String listener) {
		Integer port = this.securedPorts.get(listener);
		if (port == null) {
			throw new IllegalArgumentException("This sandbox has no listener " + listener + "; it has "
					+ this.securedPorts.keySet());
		}
		return "localhost:" + port;
	}

	/**
	 * Creates (or updates) a SCRAM-SHA-512 user, as {@code kafka-configs --alter --add-config
	 * SCRAM-SHA-512=...} does, and waits until the broker accepts its login.
	 */
	public void addScramUser(String user, String password) {
		try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
			admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
					new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Could not create the SCRAM user " + user + ": " + ex.getCause().getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating the SCRAM user " + user, ex);
		}
		awaitScramLogin(user, password);
	}

	/** The controller stores the credential first; the broker's listeners accept it once its metadata has caught up. */
	private void awaitScramLogin(String user, String password) {
		Map<String, Object> client = new HashMap<>();
		client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(SCRAM_LISTENER));
		client.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
		client.put(SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM);
		client.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required "
				+ "username=\"" + user + "\" password=\"" + password + "\";");
		long deadline = System.nanoTime() + SCRAM_USER_TIMEOUT.toNanos();
		try (Admin admin = Admin.create(client)) {
			while (true) {
				try {
					admin.describeCluster().clusterId().get(SCRAM_USER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
					return;
				}
				catch (ExecutionException ex) {
					if (!(ex.getCause() instanceof SaslAuthenticationException) || System.nanoTime() > deadline) {
						throw new IllegalStateException("The sandbox broker does not accept the SCRAM user " + user
								+ ": " + ex.getCause().getMessage(), ex);
					}
				}
				TimeUnit.MILLISECONDS.sleep(50);
			}
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("The sandbox broker did not accept the SCRAM user " + user + " within "
					+ SCRAM_USER_TIMEOUT, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the SCRAM user " + user, ex);
		}
	}

	/** Stops the broker; its data stays, and {@link #startBroker()} brings it back on the same port. */
	public void stopBroker() {
		this.cluster.brokers().values().forEach(broker -> {
			broker.shutdown();
			broker.awaitShutdown();
		});
	}

	/** Starts a broker stopped by {@link #stopBroker()}. */
	public void startBroker() {
		this.cluster.brokers().values().forEach(broker -> broker.startup());
		try {
			this.cluster.waitForReadyBrokers();
		}
		catch (Exception ex) {
			throw new IllegalStateException("The sandbox broker did not come back: " + ex.getMessage(), ex);
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

	@Override
	public void close() {
		try {
			this.cluster.close();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not stop the sandbox Kafka broker", ex);
		}
	}

}
