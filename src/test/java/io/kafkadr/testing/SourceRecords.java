package io.kafkadr.testing;

import java.time.Duration;
import java.util.ArrayList;
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
		long end;
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
			end = admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
				.all()
				.get()
				.get(partition)
				.offset();
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
		List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
			consumer.assign(List.of(partition));
			consumer.seekToBeginning(List.of(partition));
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (consumer.position(partition) < end) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("could not read " + partition + " to " + end);
				}
				consumer.poll(Duration.ofMillis(200)).records(partition).forEach(records::add);
			}
		}
		return records;
	}

}
