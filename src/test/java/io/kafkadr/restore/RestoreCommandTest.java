package io.kafkadr.restore;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.ConsumerGroupSnapshot;
import io.kafkadr.archive.Manifest;
import io.kafkadr.avro.ConfluentWireFormat;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.testing.CdcCorpus;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SourceRecords;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backup of a CDC pipeline restored into an empty cluster and a fresh registry holds, in every
 * partition, the source's committed records in order, with their keys, values, headers and
 * timestamps, byte for byte: every schema keeps its id in the fresh registry.
 */
@Tag("integration")
class RestoreCommandTest {

	private static Sandboxes source;

	private static Sandboxes target;

	@TempDir
	static Path storage;

	@BeforeAll
	static void backUp() {
		source = Sandboxes.start();
		target = Sandboxes.start();
		new CdcCorpus(source.bootstrapServers(), source.registryClient()).seed();
		CommandRun backup = CommandRun.of(source.properties(storage, "--kafka-dr.topics.avro=postgres\\.public\\..*",
				"--kafka-dr.topics.raw=connect-offsets,binary-events,audit-log,blobs"), "backup", "--backup-id", "full");
		assertThat(backup.exitCode()).as(backup.toString()).isZero();
	}

	@AfterAll
	static void stop() {
		source.close();
		target.close();
	}

	@Test
	void restoresEveryPartitionExactlyAndValidates() throws Exception {
		CommandRun restore = CommandRun.of(target.properties(storage), "restore", "--backup-id", "full");
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		assertThat(restore.out()).contains("Validation PASSED", "restoreJob", "COMPLETED");

		Manifest manifest = new BackupStorage(storage).backup("full").manifest();
		RegistryClient sourceRegistry = source.registryClient();
		RegistryClient targetRegistry = target.registryClient();
		for (Manifest.Topic topic : manifest.topics()) {
			for (Manifest.Partition partition : topic.partitions()) {
				TopicPartition tp = new TopicPartition(topic.name(), partition.partition());
				List<ConsumerRecord<byte[], byte[]>> expected = SourceRecords.read(source.bootstrapServers(), tp);
				List<ConsumerRecord<byte[], byte[]>> actual = SourceRecords.read(target.bootstrapServers(), tp);
				assertThat(actual).as(tp.toString()).hasSize(expected.size());
				for (int i = 0; i < expected.size(); i++) {
					assertSameRecord(expected.get(i), actual.get(i), sourceRegistry, targetRegistry);
				}
			}
		}
		assertSameTopicConfigs();
		assertThat(targetRegistry.subjects(false)).containsExactlyElementsOf(sourceRegistry.subjects(false));
		assertThat(targetRegistry.versions(CdcCorpus.USERS + "-value", false)).containsExactly(1, 2);
		assertThat(targetRegistry.globalCompatibility()).hasValue("BACKWARD");
		assertThat(targetRegistry.subjectCompatibility(CdcCorpus.USERS + "-value")).hasValue("FULL_TRANSITIVE");
		assertTranslatedGroupOffsets();
	}

	private static void assertSameRecord(ConsumerRecord<byte[], byte[]> expected, ConsumerRecord<byte[], byte[]> actual,
			RegistryClient sourceRegistry, RegistryClient targetRegistry) {
		String where = expected.topic() + "-" + expected.partition() + " source offset " + expected.offset();
		assertThat(actual.timestamp()).as(where).isEqualTo(expected.timestamp());
		assertThat(actual.timestampType()).as(where).isEqualTo(expected.timestampType());
		assertSamePayload(where + " key", expected.key(), actual.key(), expected.topic(), sourceRegistry, targetRegistry);
		assertSamePayload(where + " value", expected.value(), actual.value(), expected.topic(), sourceRegistry,
				targetRegistry);
		assertThat(headers(actual)).as(where).containsExactlyElementsOf(headers(expected));
	}

	/** Equal bytes, the schema id of an Avro payload included, and the id names the same schema in both registries. */
	private static void assertSamePayload(String where, byte[] expected, byte[] actual, String topic,
			RegistryClient sourceRegistry, RegistryClient targetRegistry) {
		assertThat(actual).as(where).isEqualTo(expected);
		if (expected == null || !topic.startsWith("postgres.") || !ConfluentWireFormat.matches(expected)) {
			return;
		}
		int id = ConfluentWireFormat.schemaId(expected);
		Schema written = new Schema.Parser().parse(sourceRegistry.schemaById(id).schema());
		Schema restored = new Schema.Parser().parse(targetRegistry.schemaById(id).schema());
		assertThat(restored).as(where + " writer schema").isEqualTo(written);
	}

	private static List<String> headers(ConsumerRecord<byte[], byte[]> record) {
		return Arrays.stream(record.headers().toArray())
			.map((Header header) -> header.key() + "=" + Arrays.toString(header.value()))
			.toList();
	}

	private static void assertSameTopicConfigs() throws Exception {
		for (String topic : List.of(CdcCorpus.PRODUCTS, CdcCorpus.BLOBS, CdcCorpus.CONNECT_OFFSETS)) {
			assertThat(topicConfigs(target, topic)).as(topic).isEqualTo(topicConfigs(source, topic));
			try (Admin s = Admin.create(Map.of("bootstrap.servers", source.bootstrapServers()));
					Admin t = Admin.create(Map.of("bootstrap.servers", target.bootstrapServers()))) {
				assertThat(t.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
					.hasSameSizeAs(s.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions());
			}
		}
	}

	private static Map<String, String> topicConfigs(Sandboxes sandboxes, String topic) throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", sandboxes.bootstrapServers()))) {
			ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
			Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
			Map<String, String> set = new HashMap<>();
			config.entries()
				.stream()
				.filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
				.forEach(e -> set.put(e.name(), e.value()));
			return set;
		}
	}

	/** Source offset X becomes the target offset of the first restored record at or after X. */
	private static void assertTranslatedGroupOffsets() throws Exception {
		ConsumerGroupSnapshot groups = new BackupStorage(storage).backup("full")
			.read("consumer-groups.json", ConsumerGroupSnapshot.class);
		assertThat(groups.groups()).isNotEmpty();
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", target.bootstrapServers()))) {
			for (ConsumerGroupSnapshot.Group group : groups.groups()) {
				Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
					.partitionsToOffsetAndMetadata()
					.get();
				for (ConsumerGroupSnapshot.CommittedOffset offset : group.offsets()) {
					TopicPartition tp = new TopicPartition(offset.topic(), offset.partition());
					List<ConsumerRecord<byte[], byte[]>> sourceRecords = SourceRecords.read(source.bootstrapServers(), tp);
					List<ConsumerRecord<byte[], byte[]>> targetRecords = SourceRecords.read(target.bootstrapServers(), tp);
					long expected = targetRecords.isEmpty() ? 0 : targetRecords.get(targetRecords.size() - 1).offset() + 1;
					for (int i = 0; i < sourceRecords.size(); i++) {
						if (sourceRecords.get(i).offset() >= offset.offset()) {
							expected = targetRecords.get(i).offset();
							break;
						}
					}
					assertThat(committed.get(tp).offset()).as(group.groupId() + " " + tp).isEqualTo(expected);
					assertThat(committed.get(tp).metadata()).isEqualTo(offset.metadata());
				}
			}
		}
	}

}
