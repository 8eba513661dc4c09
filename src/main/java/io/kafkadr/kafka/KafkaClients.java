package io.kafkadr.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * Creates Kafka clients from Spring Boot's {@code spring.kafka.*} settings (bootstrap servers,
 * security, client properties), with the settings a lossless backup needs on top.
 */
public final class KafkaClients implements AutoCloseable {

	private final KafkaProperties properties;

	private final Duration apiTimeout;

	private Admin admin;

	public KafkaClients(KafkaProperties properties, Duration apiTimeout) {
		this.properties = properties;
		this.apiTimeout = apiTimeout;
	}

	/** The configured bootstrap servers, for messages. */
	public String bootstrapServers() {
		return String.join(",", this.properties.getBootstrapServers());
	}

	/**
	 * Whether a failure to talk to the cluster is an outage (nothing answered in time) rather than
	 * settings the cluster or the client refused.
	 */
	public boolean isUnreachable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof AuthenticationException || cause instanceof AuthorizationException
					|| (cause instanceof KafkaException && cause.getMessage() != null
							&& cause.getMessage().startsWith("Failed to create new"))) {
				return false;
			}
		}
		return true;
	}

	/** The failure as the exception a launcher throws: an outage, or a refusal made by {@code refusal}. */
	public RuntimeException failure(Throwable failure, Function<String, RuntimeException> refusal) {
		String message = describeFailure(failure);
		return isUnreachable(failure) ? new ClusterUnreachableException(message, failure) : refusal.apply(message);
	}

	/**
	 * Why a first call to the cluster failed, for people, naming the settings to check: refused
	 * credentials and failed TLS handshakes are told apart from a cluster that does not answer.
	 * Kafka's messages name the mechanism and the cause, never the password.
	 */
	public String describeFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SslAuthenticationException) {
				return "The TLS handshake with the Kafka cluster at " + bootstrapServers() + " failed (" + cause.getMessage()
						+ "). Check spring.kafka.ssl.trust-store-location (a trust store holding the brokers' CA"
						+ " certificate), spring.kafka.ssl.trust-store-password and spring.kafka.security.protocol.";
			}
			if (cause instanceof AuthenticationException) {
				return "The Kafka cluster at " + bootstrapServers() + " refused kafka-dr's credentials ("
						+ cause.getMessage() + "). Check the user and password in spring.kafka.properties.sasl.jaas.config"
						+ " and spring.kafka.properties.sasl.mechanism.";
			}
			if (cause instanceof AuthorizationException) {
				return "The Kafka cluster at " + bootstrapServers() + " does not allow kafka-dr's user this ("
						+ cause.getMessage() + "). Grant it the ACLs listed in the README, section Security.";
			}
			if (cause instanceof KafkaException && cause.getMessage() != null
					&& cause.getMessage().startsWith("Failed to create new")) {
				// A client constructor fails only on its settings (a malformed JAAS config, an unreadable trust store).
				Throwable innermost = cause;
				while (innermost.getCause() != null) {
					innermost = innermost.getCause();
				}
				return "kafka-dr cannot create a Kafka client from its spring.kafka settings (" + innermost.getMessage()
						+ "). Check them; for SASL, spring.kafka.properties.sasl.mechanism and"
						+ " spring.kafka.properties.sasl.jaas.config (one login module, ending with a semicolon).";
			}
		}
		return "Cannot reach the Kafka cluster at " + bootstrapServers() + " within " + this.apiTimeout + " ("
				+ failure.getMessage() + "). Check spring.kafka.bootstrap-servers and the spring.kafka.security / ssl"
				+ " settings, and that the brokers are up.";
	}

	/**
	 * The process's Admin client, created on first use and closed with the application context: each
	 * new client pays its start and a metadata round trip, which an empty backup paid three times.
	 * Callers must not close it.
	 */
	public synchronized Admin admin() {
		if (this.admin == null) {
			this.admin = createAdmin();
		}
		return this.admin;
	}

	@Override
	public synchronized void close() {
		if (this.admin != null) {
			this.admin.close(this.apiTimeout);
			this.admin = null;
		}
	}

	private Admin createAdmin() {
		Map<String, Object> config = new HashMap<>(this.properties.buildAdminProperties());
		config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) this.apiTimeout.toMillis());
		config.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(30_000, this.apiTimeout.toMillis()));
		config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-dr-admin");
		return Admin.create(config);
	}

	/**
	 * A producer that writes restored records exactly as given: idempotent (no duplicates, order
	 * kept on retries), acknowledged by all in-sync replicas, non-transactional (so a partition's end
	 * offset counts exactly the records written).
	 */
	public KafkaProducer<byte[], byte[]> restoreProducer(String clientId) {
		Map<String, Object> config = new HashMap<>(this.properties.buildProducerProperties());
		config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 10);
		config.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
		config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
		config.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
		// The operating system's buffer, which grows with the connection: Kafka's 128 KB would cap a
		// connection to a remote cluster at 128 KB per round trip.
		config.putIfAbsent(ProducerConfig.SEND_BUFFER_CONFIG, -1);
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		return new KafkaProducer<>(config);
	}

	/** How long a restore producer has to get a record acknowledged: its {@code delivery.timeout.ms}. */
	public Duration restoreDeliveryTimeout() {
		Object configured = this.properties.buildProducerProperties().get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
		Object timeout = (configured != null) ? configured
				: ProducerConfig.configDef().defaultValues().get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
		return Duration.ofMillis(Long.parseLong(timeout.toString()));
	}

	/**
	 * A consumer that reads committed records only, exactly as stored: no group, no offset commits,
	 * no automatic reset (a missing offset is an error, never a silent jump).
	 */
	public KafkaConsumer<byte[], byte[]> backupConsumer(String clientId) {
		Map<String, Object> config = new HashMap<>(this.properties.buildConsumerProperties());
		config.remove(ConsumerConfig.GROUP_ID_CONFIG);
		config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
		config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		config.put(ConsumerConfig.CHECK_CRCS_CONFIG, true);
		// At a partition's end the broker would hold an empty fetch this long; most reads end there.
		config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
		// A consumer reads one partition, one fetch per round trip: Kafka's 64 KB socket buffer and 1 MB per
		// partition would cap it at 64 KB, then 1 MB, per round trip to a remote cluster (25 MB/s at 40 ms),
		// below what a partition thread encodes. The OS buffer grows with the connection; 4 MB is a chunk.
		config.putIfAbsent(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
		config.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
		config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) this.apiTimeout.toMillis());
		return new KafkaConsumer<>(config);
	}

}
