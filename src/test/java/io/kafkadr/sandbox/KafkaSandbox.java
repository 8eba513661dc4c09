package io.kafkadr.sandbox;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

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

	private final KafkaClusterTestKit cluster;

	private final Map<String, Integer> securedPorts;

	private KafkaSandbox(KafkaClusterTestKit cluster, Map<String, Integer> securedPorts) {
		this.cluster = cluster;
		this.securedPorts = securedPorts;
	}

	/**
	 * One broker for the test classes whose topics, groups and assertions are their own (names no
	 * other class uses, nothing that lists the whole cluster): started by the first of them, stopped
	 * after the last test class; they must not close it. A class that needs a cluster of its own (a
	 * restore target, a broker it stops, special settings) starts one.
	 */
	public static KafkaSandbox shared() {
		return SharedSandboxes.KAFKA.get();
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
		return startSecured(tls, false);
	}

	/**
	 * Like {@link #startSecured(SandboxTls)}, and with {@code authorize} the broker authorizes every
	 * request: SCRAM users may do only what ACLs (created through the plaintext listener) allow.
	 */
	public static KafkaSandbox startSecured(SandboxTls tls, boolean authorize) {
		ScramListeners listeners = new ScramListeners(tls, authorize);
		return start(listeners.brokerSettings(), listeners.ports());
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
			// Time retention is checked once a day, not every 5 minutes, and first after 10 minutes, not 30 seconds
			// (Kafka's testing-only initial delay of its log tasks): a test's or the demo's records with old
			// timestamps (retention warnings, suspended retention) stay until it has looked at them, however slow the
			// machine. Nothing here waits for retention to delete anything.
			builder.setConfigProp("log.retention.check.interval.ms", "86400000");
			builder.setConfigProp("log.initial.task.delay.ms", "600000");
			brokerSettings.forEach(builder::setConfigProp);
			KafkaClusterTestKit cluster = builder.build();
			formatQuietly(cluster);
			cluster.startup();
			cluster.waitForReadyBrokers();
			return new KafkaSandbox(cluster, securedPorts);
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
		ScramListeners.addUser(bootstrapServers(), bootstrapServers(SCRAM_LISTENER), user, password);
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
