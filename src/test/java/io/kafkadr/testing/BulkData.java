package io.kafkadr.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kafkadr.registry.RegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Many records quickly: an Avro topic with two interleaved schema versions, and a raw topic. */
public final class BulkData {

	private static final Schema V1 = new Schema.Parser().parse("""
			{"type":"record","name":"Event","namespace":"bulk","fields":[
			  {"name":"id","type":"long"},{"name":"payload","type":"string"}]}""");

	private static final Schema V2 = new Schema.Parser().parse("""
			{"type":"record","name":"Event","namespace":"bulk","fields":[
			  {"name":"id","type":"long"},{"name":"payload","type":"string"},
			  {"name":"amount","type":["null","double"],"default":null}]}""");

	private BulkData() {
	}

	/** Creates {@code topic} and fills each of its partitions with {@code perPartition} records. */
	public static void avro(String bootstrapServers, RegistryClient registry, String topic, int partitions,
			int perPartition) {
		create(bootstrapServers, topic, partitions);
		appendAvro(bootstrapServers, registry, topic, partitions, perPartition, 0);
	}

	/**
	 * Appends {@code perPartition} more records to each partition of a topic {@link #avro} created,
	 * numbered on from {@code first} (the number of records the topic already holds), so that no two
	 * are alike. The schemas are registered again, which gives back their ids.
	 */
	public static void appendAvro(String bootstrapServers, RegistryClient registry, String topic, int partitions,
			int perPartition, long first) {
		int v1 = registry.register(topic + "-value", "AVRO", V1.toString(), List.of(), null, null);
		int v2 = registry.register(topic + "-value", "AVRO", V2.toString(), List.of(), null, null);
		long start = System.currentTimeMillis() - partitions * perPartition;
		try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
			for (long i = first; i < first + partitions * perPartition; i++) {
				boolean newer = i % 3 == 0;
				GenericRecord event = new GenericData.Record(newer ? V2 : V1);
				event.put("id", i);
				event.put("payload", "event number " + i + " with some text to make it realistic");
				if (newer) {
					event.put("amount", i * 0.25);
				}
				producer.send(new ProducerRecord<>(topic, (int) (i % partitions), start + i - first,
						("k" + (i % 1000)).getBytes(), AvroPayloads.encode(newer ? v2 : v1, newer ? V2 : V1, event)));
			}
		}
	}

	/** Creates {@code topic} and fills each partition with {@code perPartition} text records. */
	public static void raw(String bootstrapServers, String topic, int partitions, int perPartition) {
		create(bootstrapServers, topic, partitions);
		appendRaw(bootstrapServers, topic, partitions, perPartition, 0);
	}

	/**
	 * Appends {@code perPartition} more text records to each partition of a topic {@link #raw}
	 * created, numbered on from {@code first}.
	 */
	public static void appendRaw(String bootstrapServers, String topic, int partitions, int perPartition, long first) {
		long start = System.currentTimeMillis() - partitions * perPartition;
		try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
			for (long i = first; i < first + partitions * perPartition; i++) {
				producer.send(
						new ProducerRecord<>(topic, (int) (i % partitions), start + i - first, rawKey(i), rawValue(i)));
			}
		}
	}

	/** The bytes of the keys and values (there are no headers) that {@link #raw} writes. */
	public static long rawBytes(int partitions, int perPartition) {
		long bytes = 0;
		for (int i = 0; i < partitions * perPartition; i++) {
			bytes += rawKey(i).length + rawValue(i).length;
		}
		return bytes;
	}

	private static byte[] rawKey(long i) {
		return ("key-" + i).getBytes();
	}

	private static byte[] rawValue(long i) {
		return ("{\"offset\":" + i + ",\"data\":\"raw record payload\"}").getBytes();
	}

	private static void create(String bootstrapServers, String topic, int partitions) {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
			admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
		Map<String, Object> config = new HashMap<>();
		config.put("bootstrap.servers", bootstrapServers);
		config.put("key.serializer", ByteArraySerializer.class);
		config.put("value.serializer", ByteArraySerializer.class);
		config.put("linger.ms", 20);
		config.put("batch.size", 262144);
		return new KafkaProducer<>(config);
	}

}
