package io.kafkadr.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.kafkadr.registry.RegistryClient;
import io.kafkadr.sandbox.DebeziumRecords.Encoded;
import io.kafkadr.sandbox.DebeziumRecords.SchemaIds;
import io.kafkadr.sandbox.SchemasTopic.Registration;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Fills an empty sandbox broker and registry with what a Debezium → Kafka → Schema Registry →
 * Kafka Connect pipeline leaves behind: Avro change topics with an evolved schema, Kafka Connect's
 * internal topics, a {@code _schemas} topic and a sink connector's consumer group.
 *
 * <p>Everything is a function of {@code changesPerTable} and the seeder's {@code now}: two seeders
 * pinned to the same instant write the same bytes, given a registry that hands out the same ids
 * (a fresh one, or the same one again). Record timestamps lie between a little over four hours
 * and about an hour before {@code now}, so no retention deletes anything.
 */
public final class CdcPipelineSeeder {

	public static final String USERS_TOPIC = "postgres.public.users";

	public static final String PRODUCTS_TOPIC = "postgres.public.products";

	public static final String ORDERS_TOPIC = "postgres.public.orders";

	public static final String ORDER_ITEMS_TOPIC = "postgres.public.order_items";

	/** The Avro change topics, in the order the summary lists them. */
	public static final List<String> CDC_TOPICS = List.of(USERS_TOPIC, PRODUCTS_TOPIC, ORDERS_TOPIC, ORDER_ITEMS_TOPIC);

	public static final String CONNECT_CONFIGS_TOPIC = ConnectTopics.CONFIGS;

	public static final String CONNECT_OFFSETS_TOPIC = ConnectTopics.OFFSETS;

	public static final String CONNECT_STATUS_TOPIC = ConnectTopics.STATUS;

	public static final String SCHEMAS_TOPIC = SchemasTopic.TOPIC;

	/** The consumer group of the {@code jdbc-sink} connector, named as Kafka Connect names sink groups. */
	public static final String CONSUMER_GROUP = "connect-" + ConnectTopics.SINK_CONNECTOR;

	/** The header Debezium puts on every change record, naming the connector type. */
	public static final String CONNECTOR_NAME_HEADER = DebeziumRecords.CONNECTOR_NAME_HEADER;

	private static final String RETENTION_7_DAYS = String.valueOf(Duration.ofDays(7).toMillis());

	/** The share of each partition the sink has consumed: it lags behind, as sinks do. */
	private static final int SINK_PROGRESS_PERCENT = 70;

	private final String bootstrapServers;

	private final RegistryClient registry;

	private final Instant now;

	public CdcPipelineSeeder(String bootstrapServers, RegistryClient registry) {
		this(bootstrapServers, registry, Instant.now());
	}

	/** A seeder whose history ends relative to {@code now} instead of the current time. */
	public CdcPipelineSeeder(String bootstrapServers, RegistryClient registry, Instant now) {
		this.bootstrapServers = bootstrapServers;
		this.registry = registry;
		this.now = now;
	}

	/**
	 * Seeds everything; returns what was seeded, for the demo to print. Needs a broker without the
	 * pipeline's topics and a registry without its subjects (or with exactly the ones seeded before).
	 * @param changesPerTable how many changes each table's topic gets, not counting tombstones
	 */
	public Summary seed(int changesPerTable) {
		Timeline timeline = Timeline.endingBefore(this.now, changesPerTable);
		// A registry that has just started takes seconds for its first schemas; the rest runs meanwhile.
		try (ExecutorService registrar = Executors.newSingleThreadExecutor();
				SeedAdmin admin = new SeedAdmin(this.bootstrapServers);
				SeedProducer producer = new SeedProducer(this.bootstrapServers, topicNames())) {
			Future<List<Registration>> registering = registrar.submit(() -> registerSchemas(timeline));
			createTopics(admin);
			ConnectTopics.records(timeline).forEach(producer::send);
			Map<CdcTable, List<Encoded>> changes = encodeChanges(timeline);
			List<Registration> registrations = await(registering);
			sendChanges(producer, changes, registrations);
			SchemasTopic.records(registrations, timeline.setupMillis() - 2_000).forEach(producer::send);
			Map<String, Long> recordsPerTopic = producer.flush();
			commitSinkOffsets(admin);
			return new Summary(recordsPerTopic, registrations.stream().map(Registration::subject).distinct().toList(),
					CONSUMER_GROUP);
		}
	}

	private static List<String> topicNames() {
		List<String> topics = new ArrayList<>(CDC_TOPICS);
		topics.addAll(List.of(ConnectTopics.CONFIGS, ConnectTopics.OFFSETS, ConnectTopics.STATUS, SchemasTopic.TOPIC));
		return topics;
	}

	private static void createTopics(SeedAdmin admin) {
		List<NewTopic> topics = new ArrayList<>();
		for (CdcTable table : CdcTable.values()) {
			topics.add(new NewTopic(table.topic(), table.partitions(), (short) 1));
		}
		// Products is a table topic that consumers bootstrap from, so it keeps the latest row per key.
		topics.get(CdcTable.PRODUCTS.ordinal()).configs(Map.of("cleanup.policy", "compact"));
		topics.get(CdcTable.ORDERS.ordinal()).configs(Map.of("retention.ms", RETENTION_7_DAYS));
		topics.add(compacted(ConnectTopics.CONFIGS, 1));
		topics.add(compacted(ConnectTopics.OFFSETS, ConnectTopics.OFFSETS_PARTITIONS));
		topics.add(compacted(ConnectTopics.STATUS, ConnectTopics.STATUS_PARTITIONS));
		topics.add(compacted(SchemasTopic.TOPIC, 1));
		admin.createTopics(topics);
	}

	private static NewTopic compacted(String name, int partitions) {
		return new NewTopic(name, partitions, (short) 1).configs(Map.of("cleanup.policy", "compact"));
	}

	/**
	 * Registers each table's key and v1 value schema, then every table's v2 value schema, in the
	 * order a pipeline would: at its start, and at the migration.
	 */
	private List<Registration> registerSchemas(Timeline timeline) {
		List<Registration> registrations = new ArrayList<>();
		long millis = timeline.setupMillis() - 1_000;
		for (CdcTable table : CdcTable.values()) {
			registrations.add(register(table.topic() + "-key", 1, table.keySchema().toString(), millis++));
			registrations.add(register(table.topic() + "-value", 1, table.valueSchema(1).toString(), millis++));
		}
		millis = timeline.migrationMillis() - 100;
		for (CdcTable table : CdcTable.values()) {
			registrations.add(register(table.topic() + "-value", 2, table.valueSchema(2).toString(), millis++));
		}
		return registrations;
	}

	private Registration register(String subject, int version, String schema, long millis) {
		int id = this.registry.register(subject, "AVRO", schema, List.of(), null, null);
		return new Registration(subject, version, id, schema, millis);
	}

	private static Map<CdcTable, List<Encoded>> encodeChanges(Timeline timeline) {
		Map<CdcTable, List<Encoded>> encoded = new EnumMap<>(CdcTable.class);
		for (CdcTable table : CdcTable.values()) {
			DebeziumRecords debezium = new DebeziumRecords(table, timeline);
			encoded.put(table, ChangeScript.changes(table, timeline).stream().map(debezium::encode).toList());
		}
		return encoded;
	}

	private static void sendChanges(SeedProducer producer, Map<CdcTable, List<Encoded>> changes,
			List<Registration> registrations) {
		changes.forEach((table, encoded) -> {
			String subject = table.topic() + "-value";
			SchemaIds ids = new SchemaIds(id(registrations, table.topic() + "-key", 1), id(registrations, subject, 1),
					id(registrations, subject, 2));
			encoded.forEach((change) -> DebeziumRecords.records(change, ids).forEach(producer::send));
		});
	}

	private static int id(List<Registration> registrations, String subject, int version) {
		return registrations.stream()
			.filter((registration) -> registration.subject().equals(subject) && registration.version() == version)
			.findFirst()
			.orElseThrow()
			.id();
	}

	/**
	 * Commits the sink's offsets at {@value #SINK_PROGRESS_PERCENT}% of every partition of the change
	 * topics, spread over its two tasks, each of which leaves its name as the commit metadata.
	 */
	private static void commitSinkOffsets(SeedAdmin admin) {
		Map<String, Integer> partitions = new LinkedHashMap<>();
		for (CdcTable table : CdcTable.values()) {
			partitions.put(table.topic(), table.partitions());
		}
		Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
		int task = 0;
		for (Map.Entry<TopicPartition, Long> end : admin.endOffsets(partitions).entrySet()) {
			offsets.put(end.getKey(), new OffsetAndMetadata(end.getValue() * SINK_PROGRESS_PERCENT / 100,
					ConnectTopics.SINK_CONNECTOR + "-" + (task++ % 2)));
		}
		admin.commitOffsets(CONSUMER_GROUP, offsets);
	}

	private static List<Registration> await(Future<List<Registration>> registering) {
		try {
			return registering.get();
		}
		catch (ExecutionException ex) {
			// The registry client's exceptions say what went wrong and where; pass them on as they are.
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			throw new IllegalStateException("Could not register the pipeline's schemas", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while registering the pipeline's schemas", ex);
		}
	}

	/**
	 * What was seeded, for the demo to print.
	 * @param recordsPerTopic the records written to each topic, tombstones included, in creation order
	 * @param subjects the registered subjects, in registration order
	 * @param consumerGroup the sink connector's consumer group
	 */
	public record Summary(Map<String, Long> recordsPerTopic, List<String> subjects, String consumerGroup) {

		public Summary {
			recordsPerTopic = Collections.unmodifiableMap(new LinkedHashMap<>(recordsPerTopic));
			subjects = List.copyOf(subjects);
		}

	}

}
