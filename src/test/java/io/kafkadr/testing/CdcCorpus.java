package io.kafkadr.testing;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.kafkadr.registry.RegistryClient;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import static org.awaitility.Awaitility.await;

/**
 * A CDC pipeline's topics with every case a lossless backup must survive: Avro change events with
 * interleaved schema versions, Avro keys and plain string keys, deletes and tombstones, headers
 * with repeated names and null values, a transactional topic with aborted batches, a compacted
 * topic with gaps, a partition whose log start offset is above 0, Kafka Connect's 25-partition
 * offsets topic, raw values that start with byte 0 or are not UTF-8, an empty topic and a record
 * near 1 MB. Timestamps are recent, so no retention deletes anything.
 */
public final class CdcCorpus {

	public static final String USERS = "postgres.public.users";

	public static final String ORDERS = "postgres.public.orders";

	public static final String PRODUCTS = "postgres.public.products";

	public static final String EMPTY = "postgres.public.empty";

	public static final String CONNECT_OFFSETS = "connect-offsets";

	public static final String BINARY = "binary-events";

	public static final String AUDIT = "audit-log";

	public static final String BLOBS = "blobs";

	public static final String GROUP = "cdc-sink";

	/** Records in {@link #ORDERS} that belong to aborted transactions; they carry this header. */
	public static final String ABORTED_HEADER = "aborted";

	static final Schema KEY = new Schema.Parser().parse("""
			{"type":"record","name":"Key","namespace":"postgres.public.users","fields":[{"name":"id","type":"int"}]}""");

	static final Schema USER_V1 = envelope("""
			{"type":"record","name":"Value","fields":[
			  {"name":"id","type":"int"},
			  {"name":"name","type":"string"},
			  {"name":"email","type":["null","string"],"default":null}]}""");

	static final Schema USER_V2 = envelope("""
			{"type":"record","name":"Value","fields":[
			  {"name":"id","type":"int"},
			  {"name":"name","type":"string"},
			  {"name":"email","type":["null","string"],"default":null},
			  {"name":"balance","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2},"default":"\\u0000"},
			  {"name":"created_at","type":{"type":"long","logicalType":"timestamp-micros"},"default":0},
			  {"name":"status","type":{"type":"enum","name":"Status","symbols":["ACTIVE","BLOCKED"]},"default":"ACTIVE"},
			  {"name":"score","type":"double","default":0.0},
			  {"name":"tags","type":{"type":"array","items":"string"},"default":[]},
			  {"name":"attributes","type":{"type":"map","values":"string"},"default":{}}]}""");

	private final String bootstrapServers;

	private final RegistryClient registry;

	private final Random random = new Random(42);

	private final long now = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();

	public CdcCorpus(String bootstrapServers, RegistryClient registry) {
		this.bootstrapServers = bootstrapServers;
		this.registry = registry;
	}

	/** Creates and fills every topic of the corpus, and commits the consumer group's offsets. */
	public void seed() {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrapServers))) {
			admin.createTopics(List.of(new NewTopic(USERS, 3, (short) 1), new NewTopic(ORDERS, 2, (short) 1),
					new NewTopic(PRODUCTS, 1, (short) 1).configs(Map.of("cleanup.policy", "compact", "segment.ms", "100",
							"min.cleanable.dirty.ratio", "0.01", "delete.retention.ms", "100", "min.compaction.lag.ms", "0")),
					new NewTopic(EMPTY, 2, (short) 1), new NewTopic(CONNECT_OFFSETS, 25, (short) 1)
						.configs(Map.of("cleanup.policy", "compact")),
					new NewTopic(BINARY, 2, (short) 1), new NewTopic(AUDIT, 1, (short) 1),
					new NewTopic(BLOBS, 1, (short) 1).configs(Map.of("max.message.bytes", "2097152"))))
				.all()
				.get();
			seedUsers();
			seedOrders();
			seedProducts();
			seedConnectOffsets();
			seedRaw();
			this.registry.setGlobalCompatibility("BACKWARD");
			this.registry.setSubjectCompatibility(USERS + "-value", "FULL_TRANSITIVE");
			admin.deleteRecords(Map.of(new TopicPartition(AUDIT, 0), RecordsToDelete.beforeOffset(5))).all().get();
			admin.alterConsumerGroupOffsets(GROUP, Map.of(new TopicPartition(USERS, 0), new OffsetAndMetadata(7, "sink"),
					new TopicPartition(USERS, 1), new OffsetAndMetadata(3))).all().get();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not seed the corpus", ex);
		}
		awaitCompaction();
	}

	/** A topic that {@link #change} creates: new since a backup of the seeded corpus. */
	public static final String INVOICES = "postgres.public.invoices";

	/**
	 * What happens to the pipeline after a first backup: new change events in {@link #USERS} and
	 * {@link #CONNECT_OFFSETS}, a new schema version of {@link #ORDERS}' values and events written
	 * with it, a new topic ({@link #INVOICES}), {@link #EMPTY} deleted, {@link #BINARY} deleted and
	 * created again (another topic id) with other records, the consumer group moved on, and
	 * {@link #AUDIT} appended to and then cut by {@code deleteRecords} after offset 20, before the
	 * next backup can read offsets 20 to 24 (a gap). Idempotent it is not: call it once.
	 */
	public void change() {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.bootstrapServers))) {
			int keyId = this.registry.register(USERS + "-key", "AVRO", KEY.toString(), List.of(), null, null);
			int usersV2 = this.registry.register(USERS + "-value", "AVRO", USER_V2.toString(), List.of(), null, null);
			int ordersV2 = this.registry.register(ORDERS + "-value", "AVRO", USER_V2.toString(), List.of(), null, null);
			admin.deleteTopics(List.of(EMPTY, BINARY)).all().get();
			admin.createTopics(List.of(new NewTopic(INVOICES, 2, (short) 1))).all().get();
			await("re-creation of " + BINARY).atMost(Duration.ofSeconds(60)).until(() -> {
				try {
					admin.createTopics(List.of(new NewTopic(BINARY, 2, (short) 1))).all().get();
					return true;
				}
				catch (java.util.concurrent.ExecutionException ex) {
					return false;
				}
			});
			try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
				for (int i = 90; i < 110; i++) {
					int id = i % 30;
					producer.send(new ProducerRecord<>(USERS, id % 3, this.now + i, AvroPayloads.encode(keyId, KEY,
							keyRecord(id)), AvroPayloads.encode(usersV2, USER_V2, change(USER_V2, id, "u", i))));
					producer.send(new ProducerRecord<>(ORDERS, id % 2, this.now + i, AvroPayloads.encode(keyId, KEY,
							keyRecord(id)), AvroPayloads.encode(ordersV2, USER_V2, change(USER_V2, id, "c", i))));
					producer.send(new ProducerRecord<>(INVOICES, id % 2, this.now + i, AvroPayloads.encode(keyId, KEY,
							keyRecord(id)), AvroPayloads.encode(ordersV2, USER_V2, change(USER_V2, id, "c", i))));
					producer.send(new ProducerRecord<>(CONNECT_OFFSETS, i % 25, this.now + i, ("slot-" + i).getBytes(),
							("{\"lsn\":" + (1000 + i) + "}").getBytes()));
					producer.send(new ProducerRecord<>(BINARY, i % 2, this.now + i, null, new byte[] { 0, (byte) i }));
					if (i < 100) {
						producer.send(new ProducerRecord<>(AUDIT, 0, this.now + i, null, ("audit " + i).getBytes()));
					}
				}
			}
			admin.deleteRecords(Map.of(new TopicPartition(AUDIT, 0), RecordsToDelete.beforeOffset(25))).all().get();
			admin.alterConsumerGroupOffsets(GROUP, Map.of(new TopicPartition(USERS, 0), new OffsetAndMetadata(20, "sink"),
					new TopicPartition(USERS, 1), new OffsetAndMetadata(31))).all().get();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not change the corpus", ex);
		}
	}

	private void seedUsers() {
		int keyId = this.registry.register(USERS + "-key", "AVRO", KEY.toString(), List.of(), null, null);
		int v1 = this.registry.register(USERS + "-value", "AVRO", USER_V1.toString(), List.of(), null, null);
		int v2 = this.registry.register(USERS + "-value", "AVRO", USER_V2.toString(), List.of(), null, null);
		try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
			for (int i = 0; i < 90; i++) {
				int id = i % 30;
				byte[] key = (i % 17 == 5) ? ("plain-key-" + id).getBytes(StandardCharsets.UTF_8)
						: AvroPayloads.encode(keyId, KEY, keyRecord(id));
				RecordHeaders headers = new RecordHeaders();
				headers.add("trace", ("t-" + i).getBytes(StandardCharsets.UTF_8));
				headers.add("trace", ("again-" + i).getBytes(StandardCharsets.UTF_8));
				headers.add("nothing", null);
				boolean newer = i % 2 == 1;
				Schema schema = newer ? USER_V2 : USER_V1;
				String op = (i % 10 == 9) ? "d" : (i < 30) ? "c" : "u";
				byte[] value = AvroPayloads.encode(newer ? v2 : v1, schema, change(schema, id, op, i));
				producer.send(new ProducerRecord<>(USERS, id % 3, this.now + i, key, value, headers));
				if (op.equals("d")) {
					producer.send(new ProducerRecord<>(USERS, id % 3, this.now + i, key, (byte[]) null));
				}
			}
		}
	}

	private void seedOrders() {
		int keyId = this.registry.register(ORDERS + "-key", "AVRO", KEY.toString(), List.of(), null, null);
		int valueId = this.registry.register(ORDERS + "-value", "AVRO", USER_V1.toString(), List.of(), null, null);
		try (KafkaProducer<byte[], byte[]> producer = producer(Map.of("transactional.id", "orders-tx"))) {
			producer.initTransactions();
			for (int batch = 0; batch < 6; batch++) {
				boolean abort = batch % 3 == 1;
				producer.beginTransaction();
				for (int i = 0; i < 10; i++) {
					int id = batch * 10 + i;
					RecordHeaders headers = new RecordHeaders();
					if (abort) {
						headers.add(ABORTED_HEADER, new byte[] { 1 });
					}
					producer.send(new ProducerRecord<>(ORDERS, id % 2, this.now + id, AvroPayloads.encode(keyId, KEY,
							keyRecord(id)), AvroPayloads.encode(valueId, USER_V1, change(USER_V1, id, "c", id)), headers));
				}
				if (abort) {
					producer.abortTransaction();
				}
				else {
					producer.commitTransaction();
				}
			}
		}
	}

	private void seedProducts() {
		try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
			// Timestamps a second apart roll segments (segment.ms=100), so the cleaner can compact.
			for (int round = 0; round < 4; round++) {
				for (int key = 0; key < 10; key++) {
					producer.send(new ProducerRecord<>(PRODUCTS, 0, this.now + round * 1000L, ("product-" + key).getBytes(),
							("{\"price\":" + (round * 10 + key) + "}").getBytes()));
				}
				producer.flush();
			}
		}
	}

	private void seedConnectOffsets() {
		try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
			for (int i = 0; i < 100; i++) {
				String key = "[\"postgres-connector\",{\"server\":\"postgres\",\"slot\":" + (i % 7) + "}]";
				String value = (i % 11 == 10) ? null : "{\"lsn\":" + (1000 + i) + ",\"txId\":" + i + "}";
				producer.send(new ProducerRecord<>(CONNECT_OFFSETS, i % 25, this.now + i, key.getBytes(),
						(value != null) ? value.getBytes() : null));
			}
		}
	}

	private void seedRaw() {
		try (KafkaProducer<byte[], byte[]> producer = producer(Map.of("max.request.size", "3000000"))) {
			for (int i = 0; i < 20; i++) {
				byte[] value = new byte[20 + i];
				this.random.nextBytes(value);
				value[0] = 0;
				producer.send(new ProducerRecord<>(BINARY, i % 2, this.now + i, null, value));
				producer.send(new ProducerRecord<>(BINARY, i % 2, this.now + i, new byte[] { (byte) 0xff, (byte) i },
						("text ü € 𝄞 \u0000 \n line " + i).getBytes(StandardCharsets.UTF_8)));
				producer.send(new ProducerRecord<>(AUDIT, 0, this.now + i, null, ("audit " + i).getBytes()));
			}
			byte[] blob = new byte[1_000_000];
			this.random.nextBytes(blob);
			producer.send(new ProducerRecord<>(BLOBS, 0, this.now, "blob".getBytes(), blob));
		}
	}

	private void awaitCompaction() {
		await("compaction of " + PRODUCTS).atMost(Duration.ofSeconds(60))
			.until(() -> SourceRecords.read(this.bootstrapServers, new TopicPartition(PRODUCTS, 0)).size() < 40);
	}

	private KafkaProducer<byte[], byte[]> producer(Map<String, Object> extra) {
		Map<String, Object> config = new HashMap<>(extra);
		config.put("bootstrap.servers", this.bootstrapServers);
		config.put("key.serializer", ByteArraySerializer.class);
		config.put("value.serializer", ByteArraySerializer.class);
		config.put("linger.ms", 5);
		return new KafkaProducer<>(config);
	}

	private static GenericRecord keyRecord(int id) {
		GenericRecord key = new GenericData.Record(KEY);
		key.put("id", id);
		return key;
	}

	private GenericRecord change(Schema envelope, int id, String op, int sequence) {
		Schema valueSchema = envelope.getField("after").schema().getTypes().get(1);
		GenericRecord value = new GenericData.Record(valueSchema);
		value.put("id", id);
		value.put("name", "user " + id + " ✓ \"quoted\" \t tab");
		value.put("email", (id % 4 == 0) ? null : "user" + id + "@example.com");
		if (valueSchema.getField("balance") != null) {
			Schema decimal = valueSchema.getField("balance").schema();
			value.put("balance", new Conversions.DecimalConversion().toBytes(new BigDecimal(sequence * 13 - 400).movePointLeft(2),
					decimal, LogicalTypes.decimal(12, 2)));
			value.put("created_at", this.now * 1000 + sequence);
			value.put("status", new GenericData.EnumSymbol(valueSchema.getField("status").schema(),
					(sequence % 3 == 0) ? "BLOCKED" : "ACTIVE"));
			double[] scores = { 0.1, -0.0, Double.NaN, Double.POSITIVE_INFINITY, 1e-310, Math.PI };
			value.put("score", scores[sequence % scores.length]);
			value.put("tags", new ArrayList<>(List.of("a" + sequence, "b")));
			Map<String, String> attributes = new java.util.LinkedHashMap<>();
			attributes.put("z", "last-in-order-first");
			attributes.put("a", "x" + sequence);
			value.put("attributes", attributes);
		}
		GenericRecord source = new GenericData.Record(envelope.getField("source").schema());
		source.put("connector", "postgresql");
		source.put("lsn", 1000L + sequence);
		GenericRecord change = new GenericData.Record(envelope);
		change.put("before", op.equals("c") ? null : value);
		change.put("after", op.equals("d") ? null : value);
		change.put("source", source);
		change.put("op", op);
		change.put("ts_ms", this.now + sequence);
		return change;
	}

	private static Schema envelope(String valueSchema) {
		return new Schema.Parser().parse("""
				{"type":"record","name":"Envelope","namespace":"postgres.public.users","fields":[
				  {"name":"before","type":["null",%s],"default":null},
				  {"name":"after","type":["null","Value"],"default":null},
				  {"name":"source","type":{"type":"record","name":"Source","namespace":"io.debezium.connector.postgresql",
				    "fields":[{"name":"connector","type":"string"},{"name":"lsn","type":["null","long"],"default":null}]}},
				  {"name":"op","type":"string"},
				  {"name":"ts_ms","type":["null","long"],"default":null}]}""".formatted(valueSchema));
	}

}
