package io.kafkadr.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.kafkadr.avro.ConfluentWireFormat;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryProperties;
import io.kafkadr.sandbox.CdcPipelineSeeder.Summary;
import io.kafkadr.testing.SourceRecords;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class CdcPipelineSeederTest {

	private static final int CHANGES = 50;

	private static final Instant NOW = Instant.now();

	private static final Map<String, Integer> PARTITIONS = partitions();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Map<String, List<List<ConsumerRecord<byte[], byte[]>>>> read = new ConcurrentHashMap<>();

	private static final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

	private static KafkaSandbox kafka;

	private static RegistrySandbox registrySandbox;

	private static RegistryClient registry;

	private static Summary summary;

	@BeforeAll
	static void seed() {
		CompletableFuture<RegistrySandbox> registryStart = CompletableFuture.supplyAsync(RegistrySandbox::start);
		kafka = KafkaSandbox.start();
		registrySandbox = registryStart.join();
		registry = new RegistryClient(RegistryProperties.forUrl(registrySandbox.url()));
		summary = new CdcPipelineSeeder(kafka.bootstrapServers(), registry, NOW).seed(CHANGES);
	}

	@AfterAll
	static void close() {
		if (registrySandbox != null) {
			registrySandbox.close();
		}
		if (kafka != null) {
			kafka.close();
		}
	}

	@Test
	void createsTopicsWithTheirPartitionsAndConfigs() throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
			admin.describeTopics(PARTITIONS.keySet())
				.allTopicNames()
				.get()
				.forEach((topic, description) -> assertThat(description.partitions()).as(topic)
					.hasSize(PARTITIONS.get(topic)));
			Map<ConfigResource, Config> configs = admin.describeConfigs(PARTITIONS.keySet()
				.stream()
				.map((topic) -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
				.toList()).all().get();
			Map<String, String> cleanupPolicies = new LinkedHashMap<>();
			configs.forEach((resource, config) -> cleanupPolicies.put(resource.name(), config.get("cleanup.policy").value()));
			assertThat(cleanupPolicies).containsOnly(Map.entry(CdcPipelineSeeder.USERS_TOPIC, "delete"),
					Map.entry(CdcPipelineSeeder.PRODUCTS_TOPIC, "compact"), Map.entry(CdcPipelineSeeder.ORDERS_TOPIC, "delete"),
					Map.entry(CdcPipelineSeeder.ORDER_ITEMS_TOPIC, "delete"),
					Map.entry(CdcPipelineSeeder.CONNECT_CONFIGS_TOPIC, "compact"),
					Map.entry(CdcPipelineSeeder.CONNECT_OFFSETS_TOPIC, "compact"),
					Map.entry(CdcPipelineSeeder.CONNECT_STATUS_TOPIC, "compact"),
					Map.entry(CdcPipelineSeeder.SCHEMAS_TOPIC, "compact"));
			assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, CdcPipelineSeeder.ORDERS_TOPIC))
				.get("retention.ms")
				.value()).isEqualTo(String.valueOf(Duration.ofDays(7).toMillis()));
		}
	}

	@Test
	void summaryCountsWhatTheTopicsHold() {
		assertThat(summary.recordsPerTopic().keySet()).containsExactlyElementsOf(PARTITIONS.keySet());
		summary.recordsPerTopic()
			.forEach((topic, count) -> assertThat(records(topic).stream().mapToLong(List::size).sum()).as(topic)
				.isEqualTo(count)
				.isPositive());
		// Tombstones come on top of the changes.
		CdcPipelineSeeder.CDC_TOPICS
			.forEach((topic) -> assertThat(summary.recordsPerTopic().get(topic)).as(topic).isGreaterThan(CHANGES));
		assertThat(summary.consumerGroup()).isEqualTo(CdcPipelineSeeder.CONSUMER_GROUP);
	}

	@Test
	void registersOneKeyVersionAndTwoValueVersionsPerTable() {
		List<String> subjects = CdcPipelineSeeder.CDC_TOPICS.stream()
			.flatMap((topic) -> Stream.of(topic + "-key", topic + "-value"))
			.toList();
		assertThat(summary.subjects()).isEqualTo(subjects);
		assertThat(registry.subjects(false)).containsExactlyInAnyOrderElementsOf(subjects);
		for (String topic : CdcPipelineSeeder.CDC_TOPICS) {
			assertThat(registry.versions(topic + "-key", false)).as(topic).containsExactly(1);
			assertThat(registry.versions(topic + "-value", false)).as(topic).containsExactly(1, 2);
		}
	}

	@Test
	void interleavesBothValueSchemaVersionsInEveryChangeTopic() {
		for (String topic : CdcPipelineSeeder.CDC_TOPICS) {
			int v1 = registry.version(topic + "-value", 1).id();
			int v2 = registry.version(topic + "-value", 2).id();
			boolean v1AfterV2 = false;
			for (List<ConsumerRecord<byte[], byte[]>> partition : records(topic)) {
				List<Integer> ids = partition.stream()
					.filter((record) -> record.value() != null)
					.map((record) -> ConfluentWireFormat.schemaId(record.value()))
					.toList();
				assertThat(ids).as(topic).containsOnly(v1, v2);
				v1AfterV2 |= ids.indexOf(v2) >= 0 && ids.lastIndexOf(v1) > ids.indexOf(v2);
			}
			assertThat(v1AfterV2).as("a v1 change after a v2 change in a partition of " + topic).isTrue();
		}
	}

	@Test
	void followsEveryDeleteWithATombstoneOfTheSameKey() {
		for (String topic : CdcPipelineSeeder.CDC_TOPICS) {
			int deletes = 0;
			for (List<ConsumerRecord<byte[], byte[]>> partition : records(topic)) {
				for (int i = 0; i < partition.size(); i++) {
					ConsumerRecord<byte[], byte[]> record = partition.get(i);
					boolean delete = record.value() != null && "d".equals(envelope(record.value()).get("op").toString());
					boolean followedByTombstone = i + 1 < partition.size() && partition.get(i + 1).value() == null
							&& Arrays.equals(partition.get(i + 1).key(), record.key());
					boolean tombstoneAfterDelete = record.value() == null && i > 0 && partition.get(i - 1).value() != null
							&& "d".equals(envelope(partition.get(i - 1).value()).get("op").toString());
					assertThat(delete).as("%s-%d@%d", topic, record.partition(), record.offset())
						.isEqualTo(followedByTombstone);
					assertThat(record.value() == null).isEqualTo(tombstoneAfterDelete);
					deletes += delete ? 1 : 0;
				}
			}
			assertThat(deletes).as(topic).isPositive();
		}
	}

	@Test
	void decodesChangesAsDebeziumEnvelopes() {
		for (String topic : CdcPipelineSeeder.CDC_TOPICS) {
			List<String> ops = new ArrayList<>();
			for (List<ConsumerRecord<byte[], byte[]>> partition : records(topic)) {
				for (ConsumerRecord<byte[], byte[]> record : partition) {
					assertThat(record.headers().lastHeader(CdcPipelineSeeder.CONNECTOR_NAME_HEADER)).isNotNull();
					if (record.value() != null) {
						GenericRecord envelope = envelope(record.value());
						String op = envelope.get("op").toString();
						ops.add(op);
						assertThat(envelope.get("before") == null).as(op).isEqualTo(op.equals("r") || op.equals("c"));
						assertThat(envelope.get("after") == null).as(op).isEqualTo(op.equals("d"));
						assertThat(((GenericRecord) envelope.get("source")).get("table").toString())
							.isEqualTo(topic.substring(topic.lastIndexOf('.') + 1));
					}
				}
			}
			assertThat(ops).as(topic).contains("r", "c", "u", "d");
		}
	}

	@Test
	void partitionsByKeyAsKafkasDefaultPartitionerDoes() {
		List<String> keyed = new ArrayList<>(CdcPipelineSeeder.CDC_TOPICS);
		keyed.addAll(List.of(CdcPipelineSeeder.CONNECT_OFFSETS_TOPIC, CdcPipelineSeeder.CONNECT_STATUS_TOPIC));
		for (String topic : keyed) {
			records(topic).stream()
				.flatMap(List::stream)
				.forEach((record) -> assertThat(record.partition()).as(topic)
					.isEqualTo(Utils.toPositive(Utils.murmur2(record.key())) % PARTITIONS.get(topic)));
		}
	}

	@Test
	void stampsRecordsHoursAgoInIncreasingOrder() {
		long earliest = NOW.minus(Duration.ofHours(5)).toEpochMilli();
		long latest = NOW.minus(Duration.ofMinutes(30)).toEpochMilli();
		for (String topic : PARTITIONS.keySet()) {
			for (List<ConsumerRecord<byte[], byte[]>> partition : records(topic)) {
				List<Long> timestamps = partition.stream().map(ConsumerRecord::timestamp).toList();
				assertThat(timestamps).as(topic).isSorted().allSatisfy((timestamp) -> assertThat(timestamp)
					.isBetween(earliest, latest));
			}
		}
	}

	@Test
	void commitsTheSinkGroupBehindTheEndOfEveryPartition() throws Exception {
		Map<TopicPartition, OffsetAndMetadata> committed;
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
			committed = admin.listConsumerGroupOffsets(summary.consumerGroup()).partitionsToOffsetAndMetadata().get();
		}
		List<TopicPartition> partitions = CdcPipelineSeeder.CDC_TOPICS.stream()
			.flatMap((topic) -> IntStream.range(0, PARTITIONS.get(topic)).mapToObj((p) -> new TopicPartition(topic, p)))
			.toList();
		assertThat(committed).containsOnlyKeys(partitions);
		committed.forEach((partition, offset) -> {
			int end = records(partition.topic()).get(partition.partition()).size();
			assertThat(offset.offset()).as(partition.toString()).isBetween(1L, end - 1L);
			assertThat(offset.metadata()).startsWith("jdbc-sink-");
		});
	}

	@Test
	void writesConnectInternalTopicsAsAWorkerDoes() {
		Map<String, String> configs = latestByKey(CdcPipelineSeeder.CONNECT_CONFIGS_TOPIC);
		assertThat(configs).containsKeys("connector-postgres-connector", "task-postgres-connector-0",
				"commit-postgres-connector", "connector-jdbc-sink", "task-jdbc-sink-0", "task-jdbc-sink-1",
				"commit-jdbc-sink");
		assertThat(json(configs.get("connector-postgres-connector")).path("properties").path("connector.class").asString())
			.isEqualTo("io.debezium.connector.postgresql.PostgresConnector");
		assertThat(configs.get("commit-jdbc-sink")).isEqualTo("{\"tasks\":2}");
		assertThat(configs).containsEntry("connector-inventory-connector", null);

		Map<String, String> offsets = latestByKey(CdcPipelineSeeder.CONNECT_OFFSETS_TOPIC);
		JsonNode offset = json(offsets.get("[\"postgres-connector\",{\"server\":\"postgres\"}]"));
		assertThat(offset.path("lsn").isIntegralNumber()).isTrue();
		assertThat(offset.path("txId").isIntegralNumber()).isTrue();
		assertThat(offset.path("ts_usec").asLong()).isLessThan(NOW.toEpochMilli() * 1000);
		assertThat(records(CdcPipelineSeeder.CONNECT_OFFSETS_TOPIC).stream().flatMap(List::stream))
			.filteredOn((record) -> new String(record.key(), StandardCharsets.UTF_8).contains("postgres-connector"))
			.hasSizeGreaterThan(3);

		Map<String, String> statuses = latestByKey(CdcPipelineSeeder.CONNECT_STATUS_TOPIC);
		assertThat(statuses).containsEntry("status-connector-postgres-connector",
				"{\"state\":\"RUNNING\",\"trace\":null,\"worker_id\":\"connect-0:8083\",\"generation\":3}");
		assertThat(statuses).containsKeys("status-task-postgres-connector-0", "status-task-jdbc-sink-1");
	}

	@Test
	void writesSchemasTopicAsAConfluentRegistryDoes() {
		List<ConsumerRecord<byte[], byte[]>> schemasTopic = records(CdcPipelineSeeder.SCHEMAS_TOPIC).get(0);
		assertThat(text(schemasTopic.get(0).key())).isEqualTo("{\"keytype\":\"NOOP\",\"magic\":0}");
		assertThat(schemasTopic.get(0).value()).isNull();
		assertThat(schemasTopic).hasSize(1 + 12);
		for (ConsumerRecord<byte[], byte[]> record : schemasTopic.subList(1, schemasTopic.size())) {
			JsonNode key = json(text(record.key()));
			JsonNode value = json(text(record.value()));
			String subject = key.path("subject").asString();
			int version = key.path("version").asInt();
			assertThat(key.path("keytype").asString()).isEqualTo("SCHEMA");
			assertThat(key.path("magic").asInt()).isEqualTo(1);
			assertThat(value.path("subject").asString()).isEqualTo(subject);
			assertThat(value.path("id").asInt()).isEqualTo(registry.version(subject, version).id());
			assertThat(new Schema.Parser().parse(value.path("schema").asString()))
				.isEqualTo(new Schema.Parser().parse(registry.version(subject, version).schema()));
			assertThat(value.path("deleted").asBoolean(true)).isFalse();
		}
	}

	@Test
	void writesTheSameBytesWhenSeededAgainAtTheSameInstant() {
		try (KafkaSandbox other = KafkaSandbox.start()) {
			Summary again = new CdcPipelineSeeder(other.bootstrapServers(), registry, NOW).seed(CHANGES);
			assertThat(again).isEqualTo(summary);
			for (String topic : PARTITIONS.keySet()) {
				List<List<ConsumerRecord<byte[], byte[]>>> reread = readTopic(other.bootstrapServers(), topic);
				for (int partition = 0; partition < PARTITIONS.get(topic); partition++) {
					assertThat(written(reread.get(partition))).as("%s-%d", topic, partition)
						.isEqualTo(written(records(topic).get(partition)));
				}
			}
		}
	}

	/** Each record's timestamp, key, value and headers as a line of text, comparable with equals. */
	private static List<String> written(List<ConsumerRecord<byte[], byte[]>> records) {
		return records.stream().map((record) -> {
			StringBuilder line = new StringBuilder().append(record.timestamp())
				.append(' ')
				.append(base64(record.key()))
				.append(' ')
				.append(base64(record.value()));
			for (Header header : record.headers()) {
				line.append(' ').append(header.key()).append('=').append(base64(header.value()));
			}
			return line.toString();
		}).toList();
	}

	private static String base64(byte[] bytes) {
		return (bytes != null) ? Base64.getEncoder().encodeToString(bytes) : "-";
	}

	/** Each partition's records of a topic, read once for all tests. */
	private static List<List<ConsumerRecord<byte[], byte[]>>> records(String topic) {
		return read.computeIfAbsent(topic, (name) -> IntStream.range(0, PARTITIONS.get(name))
			.mapToObj((partition) -> SourceRecords.read(kafka.bootstrapServers(), new TopicPartition(name, partition)))
			.toList());
	}

	/** Every partition of a topic with one consumer, cheaper than a {@link SourceRecords#read} per partition. */
	private static List<List<ConsumerRecord<byte[], byte[]>>> readTopic(String bootstrapServers, String topic) {
		List<TopicPartition> partitions = IntStream.range(0, PARTITIONS.get(topic))
			.mapToObj((partition) -> new TopicPartition(topic, partition))
			.toList();
		List<List<ConsumerRecord<byte[], byte[]>>> records = new ArrayList<>();
		partitions.forEach((partition) -> records.add(new ArrayList<>()));
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
				"key.deserializer", ByteArrayDeserializer.class, "value.deserializer", ByteArrayDeserializer.class))) {
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < ends.get(partition))) {
				assertThat(System.nanoTime()).as("reading " + topic).isLessThan(deadline);
				consumer.poll(Duration.ofMillis(200)).forEach((record) -> records.get(record.partition()).add(record));
			}
		}
		return records;
	}

	/** The last value of each key, as compaction would leave it (null for a tombstone). */
	private static Map<String, String> latestByKey(String topic) {
		Map<String, String> latest = new LinkedHashMap<>();
		records(topic).stream()
			.flatMap(List::stream)
			.forEach((record) -> latest.put(text(record.key()), (record.value() != null) ? text(record.value()) : null));
		return latest;
	}

	private static GenericRecord envelope(byte[] payload) {
		Schema schema = schemas.computeIfAbsent(ConfluentWireFormat.schemaId(payload),
				(id) -> new Schema.Parser().parse(registry.schemaById(id).schema()));
		try {
			return new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get()
				.binaryDecoder(payload, ConfluentWireFormat.HEADER_LENGTH, payload.length - ConfluentWireFormat.HEADER_LENGTH,
						null));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static JsonNode json(String text) {
		return JSON.readTree(text);
	}

	private static String text(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static Map<String, Integer> partitions() {
		Map<String, Integer> partitions = new LinkedHashMap<>();
		partitions.put(CdcPipelineSeeder.USERS_TOPIC, 3);
		partitions.put(CdcPipelineSeeder.PRODUCTS_TOPIC, 2);
		partitions.put(CdcPipelineSeeder.ORDERS_TOPIC, 3);
		partitions.put(CdcPipelineSeeder.ORDER_ITEMS_TOPIC, 3);
		partitions.put(CdcPipelineSeeder.CONNECT_CONFIGS_TOPIC, 1);
		partitions.put(CdcPipelineSeeder.CONNECT_OFFSETS_TOPIC, 25);
		partitions.put(CdcPipelineSeeder.CONNECT_STATUS_TOPIC, 5);
		partitions.put(CdcPipelineSeeder.SCHEMAS_TOPIC, 1);
		return partitions;
	}

}
