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
 * keeps its port, so clients reconnect as they would to a rebooted broker.
 */
public final class KafkaSandbox implements AutoCloseable {

	private final KafkaClusterTestKit cluster;

	private KafkaSandbox(KafkaClusterTestKit cluster) {
		this.cluster = cluster;
	}

	/** Formats and starts a fresh cluster, waiting until the broker accepts requests. */
	public static KafkaSandbox start() {
		return start(Map.of());
	}

	/** Formats and starts a fresh cluster with extra broker settings. */
	public static KafkaSandbox start(Map<String, String> brokerSettings) {
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
			return new KafkaSandbox(cluster);
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
