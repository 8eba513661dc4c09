package io.kafkadr.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerRecord;

import static io.kafkadr.sandbox.SeedJson.object;

/**
 * What a Kafka Connect worker running the pipeline's connectors writes to its internal topics, as
 * the JSON text its converter writes: connector and task configs, source offsets and statuses.
 *
 * <p>The history: an {@code inventory-connector} (MySQL) that was set up and later removed, leaving
 * tombstones; the {@code postgres-connector} (Debezium) that snapshots and then streams, and is
 * reconfigured and restarted at the schema migration; and a {@code jdbc-sink} with two tasks, one
 * of which failed at the migration and was restarted.
 */
final class ConnectTopics {

	static final String CONFIGS = "connect-configs";

	static final String OFFSETS = "connect-offsets";

	static final String STATUS = "connect-status";

	static final int OFFSETS_PARTITIONS = 25;

	static final int STATUS_PARTITIONS = 5;

	static final String SOURCE_CONNECTOR = "postgres-connector";

	static final String SINK_CONNECTOR = "jdbc-sink";

	static final String REMOVED_CONNECTOR = "inventory-connector";

	/** Debezium's {@code topic.prefix}, also its logical server name. */
	static final String TOPIC_PREFIX = "postgres";

	private static final String WORKER = "connect-0:8083";

	private static final String REGISTRY_URL = "http://schema-registry:8081";

	private static final String SINK_FAILURE = """
			org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask due to unrecoverable exception.
				at org.apache.kafka.connect.runtime.WorkerSinkTask.deliverMessages(WorkerSinkTask.java:636)
				at org.apache.kafka.connect.runtime.WorkerSinkTask.poll(WorkerSinkTask.java:345)
			Caused by: org.apache.kafka.connect.errors.ConnectException: Cannot ALTER TABLE "users" to add missing field \
			SinkRecordField{schema=Schema{BYTES}, name='balance', isPrimaryKey=false}
			""";

	private final Timeline timeline;

	private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();

	private ConnectTopics(Timeline timeline) {
		this.timeline = timeline;
	}

	/** The records of all three topics, each topic in the order the worker wrote them. */
	static List<ProducerRecord<byte[], byte[]>> records(Timeline timeline) {
		ConnectTopics connect = new ConnectTopics(timeline);
		connect.configs();
		connect.statuses();
		connect.offsets();
		connect.records.sort(Comparator.comparing(ProducerRecord::timestamp));
		return connect.records;
	}

	private void configs() {
		long setup = this.timeline.setupMillis();
		connector(setup, REMOVED_CONNECTOR, inventoryConfig(), "io.debezium.connector.mysql.MySqlConnectorTask", 1);
		connector(setup + 10, SOURCE_CONNECTOR, postgresConfig(false),
				"io.debezium.connector.postgresql.PostgresConnectorTask", 1);
		connector(setup + 20, SINK_CONNECTOR, sinkConfig(), "io.confluent.connect.jdbc.sink.JdbcSinkTask", 2);
		// After the migration the connector got heartbeats; Connect rewrites its task configs and commits them.
		long migration = this.timeline.migrationMillis();
		config(migration, "connector-" + SOURCE_CONNECTOR, Map.of("properties", postgresConfig(true)));
		config(migration + 1, "task-" + SOURCE_CONNECTOR + "-0",
				Map.of("properties", task(postgresConfig(true), "io.debezium.connector.postgresql.PostgresConnectorTask")));
		config(migration + 2, "commit-" + SOURCE_CONNECTOR, Map.of("tasks", 1));
		long removal = removalMillis();
		config(removal, "connector-" + REMOVED_CONNECTOR, null);
		config(removal + 1, "target-state-" + REMOVED_CONNECTOR, null);
	}

	/** A connector's creation: its config, target state, task configs, and the commit that makes them valid. */
	private void connector(long millis, String name, Map<String, String> config, String taskClass, int tasks) {
		config(millis, "connector-" + name, Map.of("properties", config));
		config(millis + 1, "target-state-" + name, object("state", "STARTED", "state.v2", "STARTED"));
		for (int task = 0; task < tasks; task++) {
			config(millis + 2, "task-" + name + "-" + task, Map.of("properties", task(config, taskClass)));
		}
		config(millis + 3, "commit-" + name, Map.of("tasks", tasks));
	}

	private void statuses() {
		long setup = this.timeline.setupMillis();
		running(setup + 5, REMOVED_CONNECTOR, 1, 1);
		running(setup + 15, SOURCE_CONNECTOR, 1, 1);
		running(setup + 25, SINK_CONNECTOR, 2, 1);
		long discovered = this.timeline.millis(0);
		for (CdcTable table : CdcTable.values()) {
			topicStatus(discovered + table.ordinal(), table.topic(), SOURCE_CONNECTOR, 0);
			topicStatus(discovered + 100 + table.ordinal(), table.topic(), SINK_CONNECTOR, table.ordinal() % 2);
		}
		long migration = this.timeline.migrationMillis();
		status(migration + 3, "status-task-" + SOURCE_CONNECTOR + "-0", state("UNASSIGNED", null, 2));
		status(migration + 4, "status-task-" + SINK_CONNECTOR + "-1", state("FAILED", SINK_FAILURE, 2));
		running(migration + 500, SOURCE_CONNECTOR, 1, 3);
		running(migration + 600, SINK_CONNECTOR, 2, 3);
		long removal = removalMillis();
		status(removal + 2, "status-connector-" + REMOVED_CONNECTOR, null);
		status(removal + 3, "status-task-" + REMOVED_CONNECTOR + "-0", null);
	}

	private void running(long millis, String connector, int tasks, int generation) {
		status(millis, "status-connector-" + connector, state("RUNNING", null, generation));
		for (int task = 0; task < tasks; task++) {
			status(millis + 1 + task, "status-task-" + connector + "-" + task, state("RUNNING", null, generation));
		}
	}

	private void topicStatus(long millis, String topic, String connector, int task) {
		status(millis, "status-topic-" + topic + ":connector-" + connector, Map.of("topic",
				object("name", topic, "connector", connector, "task", task, "discoverTimestamp", millis)));
	}

	/**
	 * The Postgres connector's source offset as Connect flushes it now and then: during the snapshot,
	 * then while streaming, ending at the last change. The removed connector's offsets were reset.
	 */
	private void offsets() {
		List<Object> removedKey = List.of(REMOVED_CONNECTOR, Map.of("server", "inventory"));
		long setup = this.timeline.setupMillis();
		offset(setup + 6, removedKey, object("ts_sec", setup / 1000, "file", "mysql-bin.000003", "pos", 154, "snapshot", true));
		offset(setup + 60_000, removedKey,
				object("ts_sec", setup / 1000 + 60, "file", "mysql-bin.000003", "pos", 10_572, "row", 1, "event", 2));
		offset(removalMillis() + 4, removedKey, null);
		List<Object> key = List.of(SOURCE_CONNECTOR, Map.of("server", TOPIC_PREFIX));
		long lastSnapshot = this.timeline.sequence(CdcTable.values()[Timeline.TABLES - 1], this.timeline.snapshotRows() - 1);
		offset(this.timeline.millis(lastSnapshot) + 250, key, object("last_snapshot_record", true, "lsn",
				this.timeline.lsn(lastSnapshot), "txId", this.timeline.txId(lastSnapshot), "ts_usec",
				this.timeline.millis(lastSnapshot) * 1000, "snapshot", true));
		long last = this.timeline.totalChanges() - 1;
		long step = Math.max(1, this.timeline.totalChanges() / 20);
		for (long flushed = lastSnapshot; flushed < last;) {
			flushed = Math.min(flushed + step, last);
			long lsn = this.timeline.lsn(flushed);
			offset(this.timeline.millis(flushed) + 250, key, object("lsn_proc", lsn, "lsn_commit", lsn, "lsn", lsn, "txId",
					this.timeline.txId(flushed), "ts_usec", this.timeline.millis(flushed) * 1000));
		}
	}

	private static Map<String, String> postgresConfig(boolean heartbeats) {
		Map<String, String> config = new LinkedHashMap<>();
		config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
		config.put("tasks.max", "1");
		config.put("database.hostname", "postgres");
		config.put("database.port", "5432");
		config.put("database.user", "debezium");
		config.put("database.password", "${file:/opt/kafka/secrets/postgres.properties:password}");
		config.put("database.dbname", "shop");
		config.put("topic.prefix", TOPIC_PREFIX);
		config.put("plugin.name", "pgoutput");
		config.put("slot.name", "debezium_shop");
		config.put("publication.name", "dbz_shop");
		config.put("table.include.list",
				String.join(",", List.of("public.users", "public.products", "public.orders", "public.order_items")));
		config.put("decimal.handling.mode", "precise");
		config.put("time.precision.mode", "adaptive_time_microseconds");
		avroConverters(config);
		if (heartbeats) {
			config.put("heartbeat.interval.ms", "10000");
		}
		config.put("name", SOURCE_CONNECTOR);
		return config;
	}

	private static Map<String, String> sinkConfig() {
		Map<String, String> config = new LinkedHashMap<>();
		config.put("connector.class", "io.confluent.connect.jdbc.JdbcSinkConnector");
		config.put("tasks.max", "2");
		config.put("topics", String.join(",", CdcTable.USERS.topic(), CdcTable.PRODUCTS.topic(), CdcTable.ORDERS.topic(),
				CdcTable.ORDER_ITEMS.topic()));
		config.put("connection.url", "jdbc:postgresql://warehouse:5432/analytics");
		config.put("connection.user", "sink");
		config.put("connection.password", "${file:/opt/kafka/secrets/warehouse.properties:password}");
		config.put("insert.mode", "upsert");
		config.put("pk.mode", "record_key");
		config.put("delete.enabled", "true");
		config.put("auto.create", "true");
		config.put("auto.evolve", "false");
		config.put("transforms", "unwrap,route");
		config.put("transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState");
		config.put("transforms.unwrap.drop.tombstones", "false");
		config.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
		config.put("transforms.route.regex", "postgres\\.public\\.(.*)");
		config.put("transforms.route.replacement", "$1");
		avroConverters(config);
		config.put("name", SINK_CONNECTOR);
		return config;
	}

	private static Map<String, String> inventoryConfig() {
		Map<String, String> config = new LinkedHashMap<>();
		config.put("connector.class", "io.debezium.connector.mysql.MySqlConnector");
		config.put("tasks.max", "1");
		config.put("database.hostname", "mysql");
		config.put("database.port", "3306");
		config.put("database.user", "debezium");
		config.put("database.password", "${file:/opt/kafka/secrets/mysql.properties:password}");
		config.put("database.server.id", "184054");
		config.put("topic.prefix", "inventory");
		config.put("database.include.list", "inventory");
		config.put("schema.history.internal.kafka.bootstrap.servers", "kafka:9092");
		config.put("schema.history.internal.kafka.topic", "schema-changes.inventory");
		config.put("name", REMOVED_CONNECTOR);
		return config;
	}

	private static void avroConverters(Map<String, String> config) {
		config.put("key.converter", "io.confluent.connect.avro.AvroConverter");
		config.put("key.converter.schema.registry.url", REGISTRY_URL);
		config.put("value.converter", "io.confluent.connect.avro.AvroConverter");
		config.put("value.converter.schema.registry.url", REGISTRY_URL);
	}

	/** A task's config: the connector's, plus the task class the connector chose. */
	private static Map<String, String> task(Map<String, String> connectorConfig, String taskClass) {
		Map<String, String> config = new LinkedHashMap<>(connectorConfig);
		config.put("task.class", taskClass);
		return config;
	}

	private static Map<String, Object> state(String state, String trace, int generation) {
		return object("state", state, "trace", trace, "worker_id", WORKER, "generation", generation);
	}

	private long removalMillis() {
		return this.timeline.millis(this.timeline.totalChanges() * 3 / 4);
	}

	private void config(long millis, String key, Object value) {
		add(CONFIGS, 1, millis, key.getBytes(StandardCharsets.UTF_8), value);
	}

	private void status(long millis, String key, Object value) {
		add(STATUS, STATUS_PARTITIONS, millis, key.getBytes(StandardCharsets.UTF_8), value);
	}

	/** Unlike config and status keys (plain strings), offset keys are JSON, as the source connector's partition. */
	private void offset(long millis, List<Object> key, Object value) {
		add(OFFSETS, OFFSETS_PARTITIONS, millis, SeedJson.bytes(key), value);
	}

	private void add(String topic, int partitions, long millis, byte[] key, Object value) {
		this.records.add(new ProducerRecord<>(topic, SeedProducer.partition(key, partitions), millis, key,
				(value != null) ? SeedJson.bytes(value) : null));
	}

}
