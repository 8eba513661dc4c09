package io.kafkadr.restore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import io.kafkadr.archive.BackupChain;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.avro.ConfluentWireFormat;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.ManifestPartitions;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SourceRecords;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** What the restart tests check after a restore: the target against the source, and the job history. */
final class RestoreAssertions {

	private RestoreAssertions() {
	}

	/**
	 * Every backed-up partition holds in the target exactly the source's records, in order: none
	 * lost, none duplicated, each with the same timestamp, key, value and headers. Avro payloads
	 * are equal after the wire-format header, and both schema ids name the same schema. For an
	 * incremental backup, the partitions of its whole chain.
	 */
	static void assertTargetEqualsSource(Sandboxes source, Sandboxes target, Path storage, String backupId) {
		assertTargetEqualsSource(source, target, new BackupStorage(storage), backupId);
	}

	/** As {@link #assertTargetEqualsSource(Sandboxes, Sandboxes, Path, String)}, for a backup in any location. */
	static void assertTargetEqualsSource(Sandboxes source, Sandboxes target, BackupStorage storage, String backupId) {
		Manifest manifest = BackupChain.of(storage.backup(backupId)).manifest();
		Schemas schemas = new Schemas(source.registryClient(), target.registryClient());
		List<TopicPartition> partitions = ManifestPartitions.of(manifest);
		Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> sources = SourceRecords
			.read(source.bootstrapServers(), partitions);
		Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> targets = SourceRecords
			.read(target.bootstrapServers(), partitions);
		for (Manifest.Topic topic : manifest.topics()) {
			for (Manifest.Partition partition : topic.partitions()) {
				TopicPartition tp = new TopicPartition(topic.name(), partition.partition());
				List<ConsumerRecord<byte[], byte[]>> expected = sources.get(tp);
				assertThat(expected).as("source " + tp).hasSize((int) partition.records());
				assertSameRecords(tp, expected, targets.get(tp), "avro".equals(topic.kind()), schemas);
			}
		}
	}

	/** A partition of the target holds exactly these source records, in order, as {@link #assertTargetEqualsSource} compares them. */
	static void assertSameRecords(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> expected,
			List<ConsumerRecord<byte[], byte[]>> actual, boolean avro, Schemas schemas) {
		assertThat(actual.size()).as("records in the target's " + tp).isEqualTo(expected.size());
		for (int i = 0; i < expected.size(); i++) {
			assertSameRecord(expected.get(i), actual.get(i), avro, schemas);
		}
	}

	private static void assertSameRecord(ConsumerRecord<byte[], byte[]> expected, ConsumerRecord<byte[], byte[]> actual,
			boolean avro, Schemas schemas) {
		String where = expected.topic() + "-" + expected.partition() + " source offset " + expected.offset()
				+ ", target offset " + actual.offset();
		assertThat(actual.timestamp()).as(where + " timestamp").isEqualTo(expected.timestamp());
		assertThat(actual.key()).as(where + " key").isEqualTo(expected.key());
		assertThat(headers(actual)).as(where + " headers").containsExactlyElementsOf(headers(expected));
		if (avro && expected.value() != null && ConfluentWireFormat.matches(expected.value())) {
			assertThat(Arrays.copyOfRange(actual.value(), ConfluentWireFormat.HEADER_LENGTH, actual.value().length))
				.as(where + " Avro datum")
				.isEqualTo(Arrays.copyOfRange(expected.value(), ConfluentWireFormat.HEADER_LENGTH,
						expected.value().length));
			assertThat(schemas.target(ConfluentWireFormat.schemaId(actual.value())))
				.as(where + " writer schema")
				.isEqualTo(schemas.source(ConfluentWireFormat.schemaId(expected.value())));
		}
		else {
			assertThat(actual.value()).as(where + " value").isEqualTo(expected.value());
		}
	}

	private static List<String> headers(ConsumerRecord<byte[], byte[]> record) {
		return Arrays.stream(record.headers().toArray())
			.map((Header header) -> header.key() + "=" + Arrays.toString(header.value()))
			.toList();
	}

	/** The restore job's executions as {@code history --json} shows them, oldest first. */
	static List<JsonNode> restoreExecutions(List<String> properties) {
		return executions(properties, RestoreJobConfiguration.JOB_NAME, null);
	}

	/**
	 * A job's executions as {@code history --json} shows them, oldest first: those of one backup id,
	 * or all of them when it is null.
	 */
	static List<JsonNode> executions(List<String> properties, String job, String backupId) {
		CommandRun history = CommandRun.of(properties, "history", "--json", "--limit", "100");
		assertThat(history.exitCode()).as(history.toString()).isZero();
		List<JsonNode> executions = new ArrayList<>();
		for (JsonNode execution : JsonMapper.builder().build().readTree(history.out()).values()) {
			if (execution.path("job").asString().equals(job)
					&& (backupId == null || backupId.equals(execution.path("backupId").asString(null)))) {
				executions.add(0, execution);
			}
		}
		return executions;
	}

	/** The status of a step in one execution as {@code history --json} shows it, or null if it did not run. */
	static String stepStatus(JsonNode execution, String step) {
		JsonNode found = step(execution, step);
		return (found != null) ? found.path("status").asString() : null;
	}

	/** What a step of one execution read, as {@code history --json} shows it; 0 if it did not run. */
	static long stepReadCount(JsonNode execution, String step) {
		JsonNode found = step(execution, step);
		return (found != null) ? found.path("readCount").asLong() : 0;
	}

	private static JsonNode step(JsonNode execution, String step) {
		for (JsonNode candidate : execution.path("steps").values()) {
			if (candidate.path("name").asString().equals(step)) {
				return candidate;
			}
		}
		return null;
	}

	/** How many records the target cluster holds in these topics (none in a topic that does not exist yet). */
	static long recordsIn(Admin admin, List<String> topics) {
		try {
			Map<TopicPartition, OffsetSpec> request = new HashMap<>();
			List<String> existing = topics.stream().filter(topic -> names(admin).contains(topic)).toList();
			admin.describeTopics(existing)
				.allTopicNames()
				.get()
				.forEach((topic, description) -> description.partitions()
					.forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
			return admin.listOffsets(request).all().get().values().stream().mapToLong(info -> info.offset()).sum();
		}
		catch (ExecutionException ex) {
			// a topic being created answers "unknown" for a moment: count it as not written yet
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return fail("interrupted");
		}
	}

	/** An admin client for polling a sandbox, that gives up quickly while its broker is down. */
	static Admin admin(Sandboxes sandboxes) {
		int timeout = (int) Duration.ofSeconds(5).toMillis();
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, sandboxes.bootstrapServers(),
				AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
				timeout));
	}

	private static Set<String> names(Admin admin) {
		try {
			return admin.listTopics().names().get();
		}
		catch (ExecutionException ex) {
			return Set.of();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return fail("interrupted");
		}
	}

	/** Writer schemas by id in the source and target registries, each looked up once. */
	record Schemas(RegistryClient sourceRegistry, RegistryClient targetRegistry, Map<Integer, Schema> sources,
			Map<Integer, Schema> targets) {

		Schemas(RegistryClient sourceRegistry, RegistryClient targetRegistry) {
			this(sourceRegistry, targetRegistry, new HashMap<>(), new HashMap<>());
		}

		Schema source(int id) {
			return this.sources.computeIfAbsent(id,
					key -> new Schema.Parser().parse(this.sourceRegistry.schemaById(key).schema()));
		}

		Schema target(int id) {
			return this.targets.computeIfAbsent(id,
					key -> new Schema.Parser().parse(this.targetRegistry.schemaById(key).schema()));
		}

	}

}
