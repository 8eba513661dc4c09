package io.kafkadr.pipeline;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

import io.kafkadr.testing.ApicurioConverter;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.ConnectSandbox;
import io.kafkadr.testing.DebeziumConnector;
import io.kafkadr.testing.PostgresDatabase;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SourceAndTarget;
import io.kafkadr.testing.SourceRecords;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Disaster recovery of a real CDC pipeline: PostgreSQL, Debezium in a Kafka Connect worker,
 * Apicurio's AvroConverter and registry. kafka-dr backs the pipeline up; the broker, the registry
 * and the worker are destroyed while the database keeps changing; kafka-dr restores into a fresh
 * broker and registry; a new worker picks the connector up from the restored
 * {@code connect-configs}. Then every restored record is the source's, byte for byte, and
 * readable; Debezium goes on from the restored offsets, with no new snapshot and every change of
 * the outage exactly once; an existing key's new events go to the partition that holds its
 * history; a consumer group resumes at the record it had reached. Once for each way the converter
 * frames the schema id: in front of the payload, or in headers.
 */
@Tag("integration")
class DebeziumPipelineRestoreTest {

	private static final String CUSTOMERS = "customers";

	private static final String ORDERS = "orders";

	private static final String GROUP = "billing";

	private static final String BACKUP_ID = "before-the-outage";

	private static final Duration PIPELINE_TIMEOUT = Duration.ofSeconds(90);

	private static final List<String> CONNECT_TOPICS = List.of("connect-configs", "connect-offsets", "connect-status");

	@TempDir
	Path storage;

	private PostgresDatabase database;

	private Sandboxes source;

	private Sandboxes target;

	private ConnectSandbox sourceConnect;

	private ConnectSandbox targetConnect;

	private ApicurioConverter converter;

	private DebeziumConnector connector;

	/** What Debezium wrote before the disaster, per partition: the truth the restore is held to. */
	private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> sourceRecords = new LinkedHashMap<>();

	/** The end offsets before the backup started: the backup holds at least these records. */
	private final Map<TopicPartition, Long> beforeBackup = new HashMap<>();

	/** The schema each id that the source records carry named in the source registry. */
	private final Map<Long, Schema> sourceSchemas = new HashMap<>();

	private final Map<TopicPartition, Long> sourceGroupOffsets = new HashMap<>();

	/** How many records the restore wrote into each partition: what comes after is new. */
	private final Map<TopicPartition, Integer> restored = new HashMap<>();

	private final SoftAssertions softly = new SoftAssertions();

	@AfterEach
	void tearDown() throws Exception {
		// The workers first: a worker outliving its broker hangs on shutdown, and the slot cannot be dropped
		// while a connector holds it.
		closeAll(this.targetConnect, this.sourceConnect, this.source, this.target, this.database);
	}

	@ParameterizedTest
	@EnumSource(ApicurioConverter.class)
	void restoredPipelineContinuesWhereTheBackupLeftIt(ApicurioConverter converter) throws Exception {
		this.converter = converter;
		this.database = PostgresDatabase.create();
		SourceAndTarget clusters = SourceAndTarget.start();
		this.source = clusters.source();
		this.target = clusters.target();
		this.connector = new DebeziumConnector("inventory", this.database, "postgres", List.of(CUSTOMERS, ORDERS),
				Map.of(CUSTOMERS, 2));

		try {
			runThePipeline();
			backUp();
			destroyTheSourceWhileTheDatabaseChanges();
			restore();
			assertTheRestoredTopicsAreTheSources();
			assertTheConsumerGroupIsAtTheSameRecord();
			resumeThePipeline();
			assertDebeziumContinuedWhereTheBackupLeftIt();
		}
		catch (Throwable failure) {
			// A step that cannot go on must not hide what the steps before it found.
			this.softly.errorsCollected().forEach(failure::addSuppressed);
			throw failure;
		}
		this.softly.assertAll();
	}

	/** Snapshot, inserts, updates, deletes with tombstones, a new column, and a consumer group part way. */
	private void runThePipeline() throws Exception {
		registerOtherTeamsSchemas(this.source.registry().url());
		this.database.transaction(
				"CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL, email text NOT NULL)",
				"CREATE TABLE orders (id integer PRIMARY KEY, customer_id integer NOT NULL, item text NOT NULL,"
						+ " quantity integer NOT NULL)",
				"INSERT INTO customers SELECT i, 'customer ' || i, 'c' || i || '@example.com' FROM generate_series(1, 12) i",
				"INSERT INTO orders SELECT i, i, 'item ' || i, i FROM generate_series(1, 6) i");
		this.sourceConnect = ConnectSandbox.start(this.source.bootstrapServers(),
				this.converter.workerProperties(this.source.registry().url()));
		this.sourceConnect.createConnector(this.connector.name(), this.connector.config());
		this.connector.awaitRunning(this.sourceConnect, PIPELINE_TIMEOUT);
		awaitRecords(this.source, CUSTOMERS, 12);
		awaitRecords(this.source, ORDERS, 6);

		this.database.transaction("INSERT INTO customers VALUES (13, 'Ada', 'ada@example.com'),"
				+ " (14, 'Grace', 'grace@example.com'), (15, 'Edsger', 'edsger@example.com'),"
				+ " (16, 'Barbara', 'barbara@example.com')");
		this.database.transaction("UPDATE customers SET email = 'new-' || email WHERE id IN (1, 2, 3)");
		this.database.transaction("DELETE FROM customers WHERE id IN (4, 5)");
		this.database.transaction("INSERT INTO orders VALUES (7, 13, 'book', 1), (8, 14, 'lamp', 2)",
				"UPDATE orders SET quantity = 10 WHERE id = 1", "DELETE FROM orders WHERE id = 2");
		// A second schema version of the customers' values, and records written under each.
		this.database.transaction("ALTER TABLE customers ADD COLUMN tier text NOT NULL DEFAULT 'basic'");
		long last = this.database.transaction("UPDATE customers SET tier = 'gold' WHERE id = 6",
				"INSERT INTO customers VALUES (17, 'Alan', 'alan@example.com', 'silver')");
		// 12 snapshot records, 4 inserts, 3 updates, 2 deletes each with its tombstone, an update and an insert.
		awaitRecords(this.source, CUSTOMERS, 25);
		awaitRecords(this.source, ORDERS, 11);
		// A backup taken before the worker committed its offsets would make Debezium stream the last changes again
		// after the restore; a real backup can be that early, but then no restore could be exact.
		await("Debezium's offsets cover transaction " + last).atMost(PIPELINE_TIMEOUT)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.connector.committedTransaction(this.source.bootstrapServers()) >= last);
		commitGroupPartWay();
	}

	/** The billing service has read half of each customers partition. */
	private void commitGroupPartWay() {
		Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
		for (TopicPartition partition : partitions(this.source, topic(CUSTOMERS))) {
			List<ConsumerRecord<byte[], byte[]>> records = SourceRecords.read(this.source.bootstrapServers(), partition);
			assertThat(records).as("records in " + partition + ", for a group part way through it").hasSizeGreaterThan(1);
			offsets.put(partition, new OffsetAndMetadata(records.get(records.size() / 2).offset(), "read half"));
		}
		Map<String, Object> config = Map.of("bootstrap.servers", this.source.bootstrapServers(), "group.id", GROUP,
				"enable.auto.commit", "false", "key.deserializer", ByteArrayDeserializer.class, "value.deserializer",
				ByteArrayDeserializer.class);
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
			consumer.assign(offsets.keySet());
			consumer.commitSync(offsets);
		}
	}

	/**
	 * Backs up the running pipeline, and keeps what the source held, before the disaster takes it:
	 * every record, the schema of every id they carry, the group's offsets. What the pipeline wrote
	 * is checked before the backup's outcome, so that a failed backup still says the pipeline was
	 * right.
	 */
	private void backUp() throws Exception {
		List<String> topics = backedUpTopics();
		this.beforeBackup.putAll(endOffsets(this.source, topics));
		CommandRun backup = CommandRun.of(
				this.source.properties(this.storage, "--kafka-dr.topics.avro=postgres\\.public\\..*",
						"--kafka-dr.topics.raw=connect-configs,connect-offsets,connect-status,__debezium-heartbeat\\..*"),
				"backup", "--backup-id", BACKUP_ID);
		for (String topic : topics) {
			for (TopicPartition partition : partitions(this.source, topic)) {
				this.sourceRecords.put(partition, SourceRecords.read(this.source.bootstrapServers(), partition));
			}
		}
		for (ConsumerRecord<byte[], byte[]> record : avroRecords(this.sourceRecords)) {
			for (boolean key : new boolean[] { true, false }) {
				Long id = this.converter.schemaId(record, key);
				if (id != null) {
					this.sourceSchemas.computeIfAbsent(id, missing -> this.converter.schema(this.source.registry().url(), id));
				}
			}
		}
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.source.bootstrapServers()))) {
			admin.listConsumerGroupOffsets(GROUP)
				.partitionsToOffsetAndMetadata()
				.get()
				.forEach((partition, offset) -> this.sourceGroupOffsets.put(partition, offset.offset()));
		}
		assertThat(this.sourceGroupOffsets).as("the group's committed offsets").hasSize(2);
		if (this.converter == ApicurioConverter.HEADERS) {
			// What makes this framing a trap for a backup: an insert's value starts with byte 0 (its null "before"), as
			// a Confluent prefix does, and only the headers tell the two apart.
			assertThat(avroRecords(this.sourceRecords)).as("plain Avro values starting with byte 0")
				.anyMatch(record -> record.value() != null && record.value()[0] == 0);
		}
		assertThat(operations(CUSTOMERS, this.source.registry().url())).as("Debezium's snapshot of customers")
			.filteredOn(event -> event.endsWith(" r"))
			.hasSize(12);
		assertThat(operations(ORDERS, this.source.registry().url())).as("Debezium's snapshot of orders")
			.filteredOn(event -> event.endsWith(" r"))
			.hasSize(6);
		assertThat(backup.exitCode()).as(backup.toString()).isZero();
	}

	/** The broker, the registry and the worker are gone; the database lives on and changes. */
	private void destroyTheSourceWhileTheDatabaseChanges() {
		// The worker stops before its broker only because an in-process worker whose broker vanished hangs in
		// close(); it writes nothing the backup could lack, as the database does not change until it is gone.
		this.sourceConnect.close();
		this.sourceConnect = null;
		this.source.close();
		this.source = null;
		this.database.transaction("INSERT INTO customers VALUES (18, 'Frances', 'frances@example.com', 'bronze'),"
				+ " (19, 'Donald', 'donald@example.com', 'bronze')");
		this.database.transaction("UPDATE customers SET name = 'Customer Seven' WHERE id IN (7, 13)");
		this.database.transaction("DELETE FROM customers WHERE id = 8");
		this.database.transaction("INSERT INTO orders VALUES (9, 18, 'pen', 5)",
				"UPDATE orders SET item = 'chair' WHERE id = 3");
	}

	private void restore() {
		CommandRun restore = CommandRun.of(this.target.properties(this.storage), "restore", "--backup-id", BACKUP_ID);
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		for (TopicPartition partition : this.sourceRecords.keySet()) {
			this.restored.put(partition, SourceRecords.read(this.target.bootstrapServers(), partition).size());
		}
	}

	/**
	 * Every partition holds the source's records up to where the backup read, in order, with the same
	 * partition, key, value, headers and timestamp; and every schema id in them names, in the new
	 * registry, the schema it named in the old one (bytes alike but ids that now name other schemas
	 * would be unreadable).
	 */
	private void assertTheRestoredTopicsAreTheSources() {
		String targetRegistry = this.target.registry().url();
		List<String> unresolved = new ArrayList<>();
		for (Map.Entry<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> entry : this.sourceRecords.entrySet()) {
			TopicPartition partition = entry.getKey();
			List<ConsumerRecord<byte[], byte[]>> expected = entry.getValue();
			List<ConsumerRecord<byte[], byte[]>> actual = SourceRecords.read(this.target.bootstrapServers(), partition);
			this.softly.assertThat(actual.size())
				.as("records restored into %s (the source held %d when the backup started, %d after it ended)", partition,
						this.beforeBackup.get(partition), expected.size())
				.isBetween(this.beforeBackup.get(partition).intValue(), expected.size());
			int compared = Math.min(expected.size(), actual.size());
			List<Integer> differing = IntStream.range(0, compared)
				.filter(i -> !describe(actual.get(i)).equals(describe(expected.get(i))))
				.boxed()
				.toList();
			if (!differing.isEmpty()) {
				int first = differing.get(0);
				this.softly.assertThat(describe(actual.get(first)))
					.as("%s: restored record %d (source offset %d); %d of %d records differ", partition, first,
							expected.get(first).offset(), differing.size(), compared)
					.isEqualTo(describe(expected.get(first)));
			}
			if (isAvro(partition.topic())) {
				for (int i = 0; i < compared; i++) {
					for (boolean key : new boolean[] { true, false }) {
						Long sourceId = this.converter.schemaId(expected.get(i), key);
						Long targetId = this.converter.schemaId(actual.get(i), key);
						if (sourceId == null) {
							continue;
						}
						Schema schema = (targetId != null) ? this.converter.schema(targetRegistry, targetId) : null;
						if (!Objects.equals(schema, this.sourceSchemas.get(sourceId))) {
							unresolved.add(partition + " record " + i + " " + (key ? "key" : "value") + ": id " + targetId
									+ " names " + name(schema) + " in the new registry, id " + sourceId + " named "
									+ name(this.sourceSchemas.get(sourceId)) + " in the old one");
						}
					}
				}
			}
		}
		this.softly.assertThat(unresolved.subList(0, Math.min(5, unresolved.size())))
			.as("schema ids in restored records that do not name their schema in the new registry (%d, the first 5"
					+ " shown)", unresolved.size())
			.isEmpty();
	}

	/** Offsets may shift in a restore; the record the group resumes at may not. */
	private void assertTheConsumerGroupIsAtTheSameRecord() throws Exception {
		Map<TopicPartition, OffsetAndMetadata> committed;
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", this.target.bootstrapServers()))) {
			committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
		}
		for (Map.Entry<TopicPartition, Long> entry : this.sourceGroupOffsets.entrySet()) {
			TopicPartition partition = entry.getKey();
			int sourceIndex = indexOf(this.sourceRecords.get(partition), entry.getValue());
			OffsetAndMetadata targetOffset = committed.get(partition);
			this.softly.assertThat(targetOffset)
				.as("the group's committed offset on %s after the restore", partition)
				.isNotNull();
			if (targetOffset != null) {
				List<ConsumerRecord<byte[], byte[]>> restoredRecords = SourceRecords.read(this.target.bootstrapServers(),
						partition);
				this.softly.assertThat(indexOf(restoredRecords, targetOffset.offset()))
					.as("%s: the record the group resumes at after the restore (offset %d; before: offset %d)", partition,
							targetOffset.offset(), entry.getValue())
					.isEqualTo(sourceIndex);
			}
		}
	}

	/** A new worker on the new broker, configured for the new registry, finds the connector in connect-configs. */
	private void resumeThePipeline() {
		// The converters are worker settings, as Debezium's container images and Strimzi's KafkaConnect set them: the
		// registry's address belongs to the environment, rebuilt with it, while connect-configs comes back as it was.
		// Had the connector's own config named the old registry, the restored connector would start against that
		// address the moment the worker read connect-configs, with the outage's changes streaming, before anyone could
		// correct it through the REST API. (Rebuilding the registry under its old address works too; two sandbox
		// registries cannot share a port.)
		this.targetConnect = ConnectSandbox.start(this.target.bootstrapServers(),
				this.converter.workerProperties(this.target.registry().url()));
		assertThat(this.targetConnect.connectors()).as("connectors restored from connect-configs")
			.containsExactly(this.connector.name());
		this.connector.awaitRunning(this.targetConnect, PIPELINE_TIMEOUT);
		awaitQuietly("the outage's changes", () -> newRecords(CUSTOMERS).size() >= 6 && newRecords(ORDERS).size() >= 2);
		// Existing keys change again, each of them, and a deleted one comes back: their new events must join the
		// partition of their history.
		this.database.transaction("UPDATE customers SET email = 'again-' || email WHERE id <= 17",
				"INSERT INTO customers VALUES (4, 'Back', 'back@example.com', 'basic')");
		awaitQuietly("the changes after the restore", () -> newRecords(CUSTOMERS).size() >= 6 + 15);
	}

	private void assertDebeziumContinuedWhereTheBackupLeftIt() {
		String targetRegistry = this.target.registry().url();
		List<String> outage = List.of("customers 18 c", "customers 19 c", "customers 7 u", "customers 13 u",
				"customers 8 d", "customers 8 tombstone", "orders 9 c", "orders 3 u");
		List<String> afterRestore = new ArrayList<>(IntStream.rangeClosed(1, 17)
			.filter(id -> id != 4 && id != 5 && id != 8)
			.mapToObj(id -> "customers " + id + " u")
			.toList());
		afterRestore.add("customers 4 c");
		List<String> expected = new ArrayList<>(outage);
		expected.addAll(afterRestore);

		List<String> events = new ArrayList<>();
		Map<Integer, Integer> historyPartitions = historyPartitions();
		List<String> misplaced = new ArrayList<>();
		for (String table : List.of(CUSTOMERS, ORDERS)) {
			for (ConsumerRecord<byte[], byte[]> record : newRecords(table)) {
				String event = operation(table, record, targetRegistry);
				events.add(event);
				int id = (Integer) this.converter.decode(record, true, targetRegistry).get("id");
				Integer history = historyPartitions.get(id);
				if (table.equals(CUSTOMERS) && history != null && history != record.partition()) {
					misplaced.add(event + " in partition " + record.partition() + ", its history in " + history);
				}
			}
		}
		this.softly.assertThat(events).as("events after the restore: no snapshot").noneMatch(event -> event.endsWith(" r"));
		this.softly.assertThat(events)
			.as("events after the restore: every change of the outage and after it, exactly once")
			.containsExactlyInAnyOrderElementsOf(expected);
		this.softly.assertThat(misplaced).as("new events of existing keys outside the partition of their history").isEmpty();
	}

	/** The partition each customer's backed-up events are in. */
	private Map<Integer, Integer> historyPartitions() {
		Map<Integer, Integer> partitions = new TreeMap<>();
		for (TopicPartition partition : this.sourceRecords.keySet()) {
			if (partition.topic().equals(topic(CUSTOMERS))) {
				for (ConsumerRecord<byte[], byte[]> record : this.sourceRecords.get(partition)) {
					GenericRecord key = this.converter.decode(record, true, this.sourceSchemas::get);
					Integer previous = partitions.put((Integer) key.get("id"), record.partition());
					assertThat(previous).as("customer %s's history in one partition", key.get("id"))
						.isIn(null, record.partition());
				}
			}
		}
		return partitions;
	}

	/** The records after those the restore wrote, in every partition of the table's topic. */
	private List<ConsumerRecord<byte[], byte[]>> newRecords(String table) {
		List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
		for (TopicPartition partition : partitions(this.target, topic(table))) {
			List<ConsumerRecord<byte[], byte[]>> all = SourceRecords.read(this.target.bootstrapServers(), partition);
			records.addAll(all.subList(this.restored.getOrDefault(partition, 0), all.size()));
		}
		return records;
	}

	/** "table id op" for each source change event of a table, "table id tombstone" for a tombstone. */
	private List<String> operations(String table, String registryUrl) {
		return this.sourceRecords.entrySet()
			.stream()
			.filter(entry -> entry.getKey().topic().equals(topic(table)))
			.flatMap(entry -> entry.getValue().stream())
			.map(record -> operation(table, record, registryUrl))
			.toList();
	}

	private String operation(String table, ConsumerRecord<byte[], byte[]> record, String registryUrl) {
		Object id = this.converter.decode(record, true, registryUrl).get("id");
		GenericRecord value = this.converter.decode(record, false, registryUrl);
		return table + " " + id + " " + ((value != null) ? value.get("op").toString() : "tombstone");
	}

	private void awaitRecords(Sandboxes sandboxes, String table, int count) {
		await(count + " records in " + topic(table)).atMost(PIPELINE_TIMEOUT)
			.pollInterval(Duration.ofMillis(200))
			.ignoreExceptions()
			.until(() -> partitions(sandboxes, topic(table)).stream()
				.mapToInt(partition -> SourceRecords.read(sandboxes.bootstrapServers(), partition).size())
				.sum() >= count);
	}

	/**
	 * Waits for events that should come; when they do not, the assertions on what came say what is
	 * missing, and say more than a timeout would.
	 */
	private static void awaitQuietly(String what, Callable<Boolean> condition) {
		try {
			await(what).atMost(PIPELINE_TIMEOUT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(condition);
		}
		catch (ConditionTimeoutException ex) {
			// reported by the assertions on the events
		}
	}

	private String topic(String table) {
		return this.connector.topic(table);
	}

	private List<String> backedUpTopics() {
		List<String> topics = new ArrayList<>(List.of(topic(CUSTOMERS), topic(ORDERS), this.connector.heartbeatTopic()));
		topics.addAll(CONNECT_TOPICS);
		return topics;
	}

	/** The topics whose records the Avro converter wrote: the tables' and the heartbeats'. */
	private boolean isAvro(String topic) {
		return !CONNECT_TOPICS.contains(topic);
	}

	private List<ConsumerRecord<byte[], byte[]>> avroRecords(
			Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records) {
		return records.entrySet()
			.stream()
			.filter(entry -> isAvro(entry.getKey().topic()))
			.flatMap(entry -> entry.getValue().stream())
			.toList();
	}

	/**
	 * The source registry has served other teams before this pipeline: their schemas, in a group of
	 * their own (outside the Confluent-compatible API), took the first ids. This pipeline's ids start
	 * above them, as in any registry that has lived, so a restore into a fresh registry that hands out
	 * new ids cannot match them by luck.
	 */
	private static void registerOtherTeamsSchemas(String registryUrl) throws Exception {
		try (HttpClient http = HttpClient.newHttpClient()) {
			for (int i = 0; i < 20; i++) {
				HttpRequest request = HttpRequest
					.newBuilder(URI.create(ApicurioConverter.nativeApi(registryUrl) + "/groups/other-team/artifacts"))
					.header("Content-Type", "application/json")
					.header("X-Registry-ArtifactId", "shipment-" + i + "-value")
					.header("X-Registry-ArtifactType", "AVRO")
					.POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"record\",\"name\":\"Shipment" + i
							+ "\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}"))
					.build();
				HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
				assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			}
		}
	}

	private static List<TopicPartition> partitions(Sandboxes sandboxes, String topic) {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", sandboxes.bootstrapServers()))) {
			return admin.describeTopics(List.of(topic))
				.allTopicNames()
				.get()
				.get(topic)
				.partitions()
				.stream()
				.map(info -> new TopicPartition(topic, info.partition()))
				.toList();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not describe " + topic, ex);
		}
	}

	private static Map<TopicPartition, Long> endOffsets(Sandboxes sandboxes, List<String> topics) throws Exception {
		Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
		for (String topic : topics) {
			partitions(sandboxes, topic).forEach(partition -> latest.put(partition, OffsetSpec.latest()));
		}
		Map<TopicPartition, Long> offsets = new HashMap<>();
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", sandboxes.bootstrapServers()))) {
			admin.listOffsets(latest).all().get().forEach((partition, info) -> offsets.put(partition, info.offset()));
		}
		return offsets;
	}

	private static int indexOf(List<ConsumerRecord<byte[], byte[]>> records, long offset) {
		for (int i = 0; i < records.size(); i++) {
			if (records.get(i).offset() >= offset) {
				return i;
			}
		}
		return records.size();
	}

	private static String describe(ConsumerRecord<byte[], byte[]> record) {
		return "partition " + record.partition() + ", " + record.timestampType() + " " + record.timestamp() + ", key "
				+ hex(record.key()) + ", value " + hex(record.value()) + ", headers "
				+ Arrays.stream(record.headers().toArray())
					.map((Header header) -> header.key() + "=" + hex(header.value()))
					.toList();
	}

	/** The schema's name and fingerprint: two versions of one record type have one name. */
	private static String name(Schema schema) {
		return (schema != null)
				? schema.getFullName() + " #" + Long.toHexString(SchemaNormalization.parsingFingerprint64(schema))
				: "nothing";
	}

	private static String hex(byte[] bytes) {
		return (bytes != null) ? HexFormat.of().formatHex(bytes) : "null";
	}

	private static void closeAll(AutoCloseable... resources) throws Exception {
		Exception first = null;
		for (AutoCloseable resource : resources) {
			try {
				if (resource != null) {
					resource.close();
				}
			}
			catch (Exception ex) {
				if (first == null) {
					first = ex;
				}
				else {
					first.addSuppressed(ex);
				}
			}
		}
		if (first != null) {
			throw first;
		}
	}

}
