package io.kafkadr.testing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Debezium PostgreSQL connector streaming tables of a {@link PostgresDatabase} through
 * {@code pgoutput}, as a real pipeline runs it: an initial snapshot, then the changes; heartbeats;
 * its replication slot named after the database, so that it is the run's own. Its converters are
 * not in its config: the worker supplies them (see {@link ApicurioConverter#workerProperties}).
 */
public record DebeziumConnector(String name, PostgresDatabase database, String topicPrefix, List<String> tables,
		Map<String, Integer> partitions) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The topic Debezium writes a table's changes to. */
	public String topic(String table) {
		return this.topicPrefix + ".public." + table;
	}

	/** The topic of the connector's heartbeats. */
	public String heartbeatTopic() {
		return "__debezium-heartbeat." + this.topicPrefix;
	}

	/** The connector's configuration, for {@code POST /connectors}. */
	public Map<String, String> config() {
		Map<String, String> config = new HashMap<>();
		config.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
		config.put("tasks.max", "1");
		config.put("database.hostname", PostgresDatabase.HOST);
		config.put("database.port", Integer.toString(PostgresDatabase.PORT));
		config.put("database.user", PostgresDatabase.USER);
		config.put("database.password", "");
		config.put("database.dbname", this.database.name());
		config.put("topic.prefix", this.topicPrefix);
		config.put("plugin.name", "pgoutput");
		config.put("slot.name", this.database.name());
		config.put("publication.autocreate.mode", "filtered");
		config.put("table.include.list", String.join(",", this.tables.stream().map(table -> "public." + table).toList()));
		config.put("snapshot.mode", "initial");
		// Heartbeats keep the slot's position moving in a quiet database, as production pipelines set them; their
		// topic is one more that a backup must keep as it is.
		config.put("heartbeat.interval.ms", "1000");
		// The broker does not create topics on demand; Connect creates them, with the partitions a table asks for.
		config.put("topic.creation.default.replication.factor", "1");
		config.put("topic.creation.default.partitions", "1");
		if (!this.partitions.isEmpty()) {
			config.put("topic.creation.groups", String.join(",", this.partitions.keySet()));
			this.partitions.forEach((table, count) -> {
				config.put("topic.creation." + table + ".include", topic(table).replace(".", "\\."));
				config.put("topic.creation." + table + ".partitions", Integer.toString(count));
			});
		}
		return config;
	}

	/**
	 * Waits until the connector and its task run, failing at once (with Connect's stack trace) when
	 * one of them fails.
	 */
	public void awaitRunning(ConnectSandbox connect, Duration timeout) {
		await("connector " + this.name + " and its task RUNNING").atMost(timeout)
			.pollInterval(Duration.ofMillis(200))
			.failFast("connector " + this.name + " failed", () -> connect.status(this.name).contains("\"FAILED\""))
			.untilAsserted(() -> {
				String status = connect.status(this.name);
				assertThat(states(status)).as(status).isNotEmpty().containsOnly("RUNNING");
			});
	}

	/** The states in a status answer: the connector's, then each task's; empty before it has any task. */
	public static List<String> states(String status) {
		if (!status.startsWith("{")) {
			return List.of();
		}
		JsonNode root = JSON.readTree(status);
		if (root.path("tasks").isEmpty()) {
			return List.of();
		}
		return Stream
			.concat(Stream.of(root.path("connector").path("state").asString()),
					StreamSupport.stream(root.path("tasks").spliterator(), false).map(task -> task.path("state").asString()))
			.toList();
	}

	/**
	 * The transaction id in the newest offset this connector committed to {@code connect-offsets}:
	 * the last change it will not stream again after a restart. -1 before its first commit.
	 */
	public long committedTransaction(String bootstrapServers) {
		long transaction = -1;
		for (ConsumerRecord<byte[], byte[]> record : SourceRecords.read(bootstrapServers,
				new TopicPartition("connect-offsets", 0))) {
			if (record.key() == null || record.value() == null) {
				continue;
			}
			JsonNode key = JSON.readTree(record.key());
			if (key.isArray() && this.name.equals(key.path(0).asString())) {
				transaction = JSON.readTree(record.value()).path("txId").asLong(-1);
			}
		}
		return transaction;
	}

}
