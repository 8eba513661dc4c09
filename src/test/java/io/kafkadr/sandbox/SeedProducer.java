package io.kafkadr.sandbox;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/** A producer of ready-made records that counts what it sent per topic and reports any failed send. */
final class SeedProducer implements AutoCloseable {

	private final KafkaProducer<byte[], byte[]> producer;

	private final Map<String, Long> counts = new LinkedHashMap<>();

	private final AtomicReference<Exception> failure = new AtomicReference<>();

	SeedProducer(String bootstrapServers, List<String> topics) {
		topics.forEach((topic) -> this.counts.put(topic, 0L));
		// Idempotence (the default) keeps each partition in send order even when a batch is retried.
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
				ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class, ProducerConfig.ACKS_CONFIG, "all",
				ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024));
	}

	/** The partition Kafka's default partitioner picks for a key, as Kafka Connect's producers use it. */
	static int partition(byte[] key, int partitions) {
		return Utils.toPositive(Utils.murmur2(key)) % partitions;
	}

	void send(ProducerRecord<byte[], byte[]> record) {
		this.counts.merge(record.topic(), 1L, Long::sum);
		this.producer.send(record, (metadata, exception) -> {
			if (exception != null) {
				this.failure.compareAndSet(null, exception);
			}
		});
	}

	/** Waits until every record sent is written, and returns how many each topic got. */
	Map<String, Long> flush() {
		this.producer.flush();
		Exception exception = this.failure.get();
		if (exception != null) {
			throw new IllegalStateException("Could not write the seeded records: " + exception.getMessage(), exception);
		}
		return Collections.unmodifiableMap(new LinkedHashMap<>(this.counts));
	}

	@Override
	public void close() {
		this.producer.close();
	}

}
