package io.kafkadr.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads what a partition holds for a read_committed consumer, as the truth a backup is compared with. */
public final class SourceRecords {

	private SourceRecords() {
	}

	public static List<ConsumerRecord<byte[], byte[]>> read(String bootstrapServers, TopicPartition partition) {
		return read(bootstrapServers, List.of(partition)).get(partition);
	}

	/** What each of these partitions holds, read with one consumer (much faster than one per partition). */
	public static Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> read(String bootstrapServers,
			Collection<TopicPartition> partitions) {
		Map<TopicPartition, Long> ends = new HashMap<>();
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
			Map<TopicPartition, OffsetSpec> request = new HashMap<>();
			partitions.forEach(partition -> request.put(partition, OffsetSpec.latest()));
			admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
				.all()
				.get()
				.forEach((partition, info) -> ends.put(partition, info.offset()));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		Map<String, Object> config = new HashMap<>();
		config.put("bootstrap.servers", bootstrapServers);
		config.put("isolation.level", "read_committed");
		config.put("auto.offset.reset", "earliest");
		config.put("key.deserializer", ByteArrayDeserializer.class);
		config.put("value.deserializer", ByteArrayDeserializer.class);
		Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records = new HashMap<>();
		partitions.forEach(partition -> records.put(partition, new ArrayList<>()));
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("could not read " + partitions + " to " + ends);
				}
				consumer.poll(Duration.ofMillis(200)).forEach(record -> records
					.get(new TopicPartition(record.topic(), record.partition()))
					.add(record));
			}
		}
		return records;
	}

}
