package io.kafkadr.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.function.LongToIntFunction;

import io.kafkadr.avro.ConfluentWireFormat;
import io.kafkadr.registry.RegistryClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Creates and fills the benchmark's topics on the broker. Raw values are JSON-like text padded with
 * random words (so they compress like real payloads, not like zeros or noise), and contain neither
 * tabs nor newlines, so that {@code kcat -P} can produce them from a {@code key<TAB>value} file.
 */
final class DataSets {

	private final String bootstrapServers;

	DataSets(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
	}

	/** What a topic holds: its record count and the bytes of its keys and values. */
	record Topic(String name, int partitions, long records, long bytes) {

		double megabytes() {
			return this.bytes / 1e6;
		}

	}

	/** A raw topic of {@code records} records with {@code valueSize}-byte text values, spread evenly. */
	Topic raw(String name, int partitions, long records, int valueSize, Path kcatInput) {
		return raw(name, partitions, records, valueSize, kcatInput, i -> (int) (i % partitions));
	}

	/**
	 * A raw topic whose partition {@code p} holds {@code 1 + p % 4} shares of the records: partitions
	 * of four sizes, as real topics are uneven, so that a partition's duration against its size shows
	 * what a partition costs whatever its size and what each record costs.
	 */
	Topic rawUneven(String name, int partitions, long records, int valueSize) {
		int[] shares = new int[partitions];
		int total = 0;
		for (int p = 0; p < partitions; p++) {
			shares[p] = 1 + p % 4;
			total += shares[p];
		}
		// record i goes to the partition that holds position i % total in a round of everyone's shares
		int[] round = new int[total];
		int position = 0;
		for (int share = 0; share < 4; share++) {
			for (int p = 0; p < partitions; p++) {
				if (share < shares[p]) {
					round[position++] = p;
				}
			}
		}
		return raw(name, partitions, records, valueSize, null, i -> round[(int) (i % round.length)]);
	}

	private Topic raw(String name, int partitions, long records, int valueSize, Path kcatInput, LongToIntFunction partitionOf) {
		create(name, partitions);
		long bytes = 0;
		SplittableRandom random = new SplittableRandom(valueSize);
		try (KafkaProducer<byte[], byte[]> producer = producer();
				BufferedWriter lines = (kcatInput != null) ? Files.newBufferedWriter(kcatInput) : null) {
			for (long i = 0; i < records; i++) {
				String key = "customer-" + (i % 100_000);
				String value = textValue(i, valueSize, random);
				byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
				byte[] valueBytes = value.getBytes(StandardCharsets.UTF_8);
				bytes += keyBytes.length + valueBytes.length;
				producer.send(new ProducerRecord<>(name, partitionOf.applyAsInt(i), keyBytes, valueBytes));
				if (lines != null) {
					lines.write(key);
					lines.write('\t');
					lines.write(value);
					lines.write('\n');
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return loaded(name, partitions, records, bytes);
	}

	/** An Avro topic of change events in the Confluent wire format, the two value schemas interleaved. */
	Topic avro(String name, int partitions, long records, RegistryClient registry) {
		int keyId = registry.register(name + "-key", "AVRO", ChangeEvents.KEY.toString(), List.of(), null, null);
		int v1 = registry.register(name + "-value", "AVRO", ChangeEvents.VALUE_V1.toString(), List.of(), null, null);
		int v2 = registry.register(name + "-value", "AVRO", ChangeEvents.VALUE_V2.toString(), List.of(), null, null);
		create(name, partitions);
		ChangeEvents events = new ChangeEvents(42);
		long bytes = 0;
		try (KafkaProducer<byte[], byte[]> producer = producer()) {
			for (long i = 0; i < records; i++) {
				long id = i % 50_000;
				int version = (i % 2 == 0) ? 1 : 2;
				byte[] key = ConfluentWireFormat.encode(keyId, events.key(id));
				byte[] value = ConfluentWireFormat.encode((version == 1) ? v1 : v2, events.value(i, id, version));
				bytes += key.length + value.length;
				producer.send(new ProducerRecord<>(name, (int) (i % partitions), key, value));
			}
		}
		return loaded(name, partitions, records, bytes);
	}

	/**
	 * The topic as the broker holds it: a retried batch may have been written twice, so the count
	 * is the sum of the end offsets, and the bytes are scaled with it.
	 */
	private Topic loaded(String name, int partitions, long produced, long producedBytes) {
		long records = records(name, partitions);
		long bytes = (produced == 0) ? 0 : Math.round((double) producedBytes * records / produced);
		return new Topic(name, partitions, records, bytes);
	}

	/** The sum of a topic's end offsets: the records written to it, none of them transactional. */
	long records(String name, int partitions) {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrapServers))) {
			Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
			for (int partition = 0; partition < partitions; partition++) {
				latest.put(new TopicPartition(name, partition), OffsetSpec.latest());
			}
			long records = 0;
			for (ListOffsetsResultInfo info : admin.listOffsets(latest).all().get().values()) {
				records += info.offset();
			}
			return records;
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Cannot read the end offsets of " + name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Fails the benchmark unless {@code target} holds every record of {@code topic}, so that a
	 * contender's speed never comes from records it dropped; then deletes it.
	 */
	void requireAllThenDelete(Topic topic, String target) {
		long written = records(target, topic.partitions());
		if (written < topic.records()) {
			throw new IllegalStateException("%s holds %,d records, not the %,d of %s".formatted(target, written,
					topic.records(), topic.name()));
		}
		delete(target);
	}

	void create(String name, int partitions) {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrapServers))) {
			admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Cannot create " + name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	void delete(String name) {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrapServers))) {
			admin.deleteTopics(List.of(name)).all().get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Cannot delete " + name, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static String textValue(long index, int size, SplittableRandom random) {
		StringBuilder text = new StringBuilder(size + 16);
		text.append("{\"id\":").append(index).append(",\"status\":\"active\",\"note\":\"");
		while (text.length() < size - 2) {
			int length = 3 + random.nextInt(8);
			for (int i = 0; i < length; i++) {
				text.append((char) ('a' + random.nextInt(26)));
			}
			text.append(' ');
		}
		text.setLength(size - 2);
		return text.append("\"}").toString();
	}

	private KafkaProducer<byte[], byte[]> producer() {
		Map<String, Object> config = new HashMap<>();
		config.put("bootstrap.servers", this.bootstrapServers);
		config.put("key.serializer", ByteArraySerializer.class);
		config.put("value.serializer", ByteArraySerializer.class);
		config.put("linger.ms", 20);
		config.put("batch.size", 512 * 1024);
		config.put("buffer.memory", 128L * 1024 * 1024);
		// Room for the memory check's records of a megabyte and more (the sandbox broker takes up to 4 MB).
		config.put("max.request.size", 4 * 1024 * 1024);
		// On a busy machine an idempotent producer's timed-out batch came back as OutOfOrderSequence, retried for
		// ever. Loading needs neither exactly-once nor order across batches: the counts come from the end offsets.
		config.put("enable.idempotence", false);
		config.put("acks", "1");
		config.put("request.timeout.ms", 120_000);
		config.put("delivery.timeout.ms", 600_000);
		return new KafkaProducer<>(config);
	}

}
