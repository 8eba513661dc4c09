package io.kafkadr.restore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.kafkadr.sandbox.KafkaSandbox;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Partition writers on a real broker borrow their thread's producer: a restore of many partitions
 * on few threads starts one producer per thread, and a partition that failed with records in flight
 * leaves its thread a new producer rather than one that may still send them.
 */
@Tag("integration")
class PartitionProducersTest {

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static KafkaSandbox kafka;

	@BeforeAll
	static void start() throws Exception {
		kafka = KafkaSandbox.shared();
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic("many", 8, (short) 1), new NewTopic("one", 1, (short) 1))).all().get();
		}
	}

	@Test
	void eightPartitionsOnTwoThreadsStartTwoProducers() throws Exception {
		AtomicInteger started = new AtomicInteger();
		try (PartitionProducers producers = new PartitionProducers(clientId -> producer(clientId, started))) {
			ExecutorService threads = Executors.newFixedThreadPool(2);
			try {
				List<Future<?>> partitions = new ArrayList<>();
				for (int partition = 0; partition < 8; partition++) {
					int p = partition;
					partitions.add(threads.submit(() -> restore(producers, "many", p, 100 + p)));
				}
				for (Future<?> partition : partitions) {
					partition.get();
				}
			}
			finally {
				threads.shutdown();
			}
		}

		assertThat(started).hasValue(2);
		assertThat(endOffsets("many", 8)).isEqualTo(IntStream.range(0, 8).mapToObj(p -> 100L + p).toList());
	}

	@Test
	void aPartitionThatFailedInFlightLeavesItsThreadANewProducer() throws Exception {
		AtomicInteger started = new AtomicInteger();
		try (PartitionProducers producers = new PartitionProducers(clientId -> producer(clientId, started))) {
			// Partition 5 of a one-partition topic: the producer gives up on it after max.block.ms.
			assertThatExceptionOfType(ItemStreamException.class).isThrownBy(() -> restore(producers, "one", 5, 1))
				.withMessageContaining("Kafka did not accept a restored record");
			restore(producers, "one", 0, 10);
			restore(producers, "one", 0, 10);
		}

		assertThat(started).as("one producer for the failed partition, a new one for the two after it").hasValue(2);
		assertThat(endOffsets("one", 1)).containsExactly(20L);
	}

	private static void restore(PartitionProducers producers, String topic, int partition, int records) {
		KafkaPartitionWriter writer = new KafkaPartitionWriter(producers, TIMEOUT);
		List<ProducerRecord<byte[], byte[]>> block = new ArrayList<>();
		for (int i = 0; i < records; i++) {
			block.add(new ProducerRecord<>(topic, partition, null, ("v" + i).getBytes()));
		}
		writer.open(new ExecutionContext());
		try {
			writer.write(new Chunk<>(new RestoreBlock(block, records * 2L)));
		}
		catch (InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			writer.close();
		}
	}

	private static Producer<byte[], byte[]> producer(String clientId, AtomicInteger started) {
		started.incrementAndGet();
		Map<String, Object> config = new HashMap<>();
		config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
		config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
		config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
		config.put(ProducerConfig.ACKS_CONFIG, "all");
		config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000);
		config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
		return new KafkaProducer<>(config);
	}

	private static List<Long> endOffsets(String topic, int partitions) throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
			Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
			IntStream.range(0, partitions).forEach(p -> latest.put(new TopicPartition(topic, p), OffsetSpec.latest()));
			var ends = admin.listOffsets(latest).all().get();
			return IntStream.range(0, partitions).mapToObj(p -> ends.get(new TopicPartition(topic, p)).offset()).toList();
		}
	}

}
