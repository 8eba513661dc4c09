package io.kafkadr.restore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.SegmentLines;
import io.kafkadr.avro.WireFormat;
import io.kafkadr.registry.ApicurioRegistry;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.testing.AvroPayloads;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.LocalFiles;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SourceRecords;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every schema-id wire format a registry here serves, produced as Apicurio's and Confluent's
 * serializers frame them, backed up as readable JSON and restored into a fresh broker and a fresh
 * Apicurio registry to the exact bytes, with every id kept. Values whose Avro datum starts with
 * byte 0 (a Debezium insert) are among them: in the header formats that byte is no magic byte. So
 * are values that cannot be decoded (an unknown id, bytes that are no datum of their schema): kept
 * byte for byte with the reason, counted, and restored exactly.
 */
@Tag("integration")
class WireFormatsRestoreTest {

	private static final Schema KEY = new Schema.Parser()
		.parse("{\"type\":\"record\",\"name\":\"Key\",\"namespace\":\"wire\",\"fields\":[{\"name\":\"id\",\"type\":\"int\"}]}");

	// A union whose first branch is null: an insert (before = null) encodes as byte 0 first.
	private static final Schema VALUE = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Value\",\"namespace\":"
			+ "\"wire\",\"fields\":[{\"name\":\"before\",\"type\":[\"null\",\"string\"]},{\"name\":\"after\",\"type\":\"string\"}]}");

	private static final List<String> TOPICS = List.of("wire.confluent", "wire.global-prefix", "wire.content-prefix",
			"wire.global-headers", "wire.content-headers", "wire.guid-headers", "wire.undecodable");

	@TempDir
	static Path storage;

	private static Sandboxes source;

	private static Sandboxes target;

	private static CommandRun backup;

	private static CommandRun restore;

	@BeforeAll
	static void backUpAndRestore() throws Exception {
		source = Sandboxes.start();
		produce();
		backup = CommandRun.of(source.properties(storage, "--kafka-dr.topics.avro=wire\\..*",
				"--kafka-dr.topics.wire-format.apicurio-global-id=wire\\.global-prefix",
				"--kafka-dr.topics.wire-format.apicurio-content-id=wire\\.content-prefix"), "backup", "--backup-id", "wire");
		target = Sandboxes.start();
		restore = CommandRun.of(target.properties(storage, "--kafka-dr.topics.avro=wire\\..*"), "restore", "--backup-id",
				"wire");
	}

	@AfterAll
	static void stop() {
		if (source != null) {
			source.close();
		}
		if (target != null) {
			target.close();
		}
	}

	@Test
	void restoresEveryFormatToTheExactBytesWithTheOriginalIds() {
		assertThat(backup.exitCode()).as(backup.toString()).isZero();
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		assertThat(restore.out()).contains("PASSED");
		for (String topic : TOPICS) {
			TopicPartition partition = new TopicPartition(topic, 0);
			List<ConsumerRecord<byte[], byte[]>> before = SourceRecords.read(source.bootstrapServers(), partition);
			List<ConsumerRecord<byte[], byte[]>> after = SourceRecords.read(target.bootstrapServers(), partition);
			assertThat(before).as(topic).hasSize(3);
			assertThat(after).as(topic).hasSameSizeAs(before);
			for (int i = 0; i < before.size(); i++) {
				assertThat(after.get(i).key()).as(topic + " key " + i).isEqualTo(before.get(i).key());
				assertThat(after.get(i).value()).as(topic + " value " + i).isEqualTo(before.get(i).value());
				assertThat(after.get(i).timestamp()).isEqualTo(before.get(i).timestamp());
				assertThat(after.get(i).headers().toArray()).as(topic + " headers " + i)
					.usingElementComparator((a, b) -> (a.key().equals(b.key())
							&& Arrays.equals(a.value(), b.value())) ? 0 : 1)
					.containsExactly(before.get(i).headers().toArray());
			}
		}
	}

	@Test
	void theTargetRegistryResolvesEveryIdToTheSameSchema() {
		ApicurioRegistry sourceRegistry = source.registryClient().apicurio().orElseThrow();
		ApicurioRegistry targetRegistry = target.registryClient().apicurio().orElseThrow();
		assertThat(targetRegistry.versions()).containsExactlyInAnyOrderElementsOf(sourceRegistry.versions());
	}

	@Test
	void keepsEachFormatReadableInTheSegments() throws Exception {
		String globalHeaders = segment("wire.global-headers");
		assertThat(globalHeaders).contains("\"wire\":\"apicurio-header-global-id\"", "\"after\":\"row-0\"",
				"\"name\":\"apicurio.value.globalId\"");
		assertThat(segment("wire.content-headers")).contains("\"wire\":\"apicurio-header-content-id\"");
		assertThat(segment("wire.global-prefix")).contains("\"wire\":\"apicurio-global-id\"", "\"after\":\"row-1\"");
		assertThat(segment("wire.content-prefix")).contains("\"wire\":\"apicurio-content-id\"");
		assertThat(segment("wire.confluent")).contains("\"after\":\"row-2\"").doesNotContain("\"wire\"");
		assertThat(segment("wire.guid-headers")).contains("\"undecoded\":\"schema GUID in header __value_schema_id")
			.doesNotContain("\"avro\"");
	}

	@Test
	void keepsWhatCannotBeDecodedWithTheReasonAndCountsIt() throws Exception {
		// the schema-GUID records count too: their bytes are kept, not decoded
		assertThat(backup.out()).contains("warning: 5 records have a key or value that could not be decoded",
				"wire.guid-headers-0 (3)", "wire.undecodable-0 (2)");
		assertThat(new BackupStorage(storage).backup("wire").manifest().topics().stream()
			.filter(topic -> topic.name().equals("wire.undecodable"))
			.findFirst()
			.orElseThrow()
			.partitions()
			.get(0)
			.undecodedRecords()).isEqualTo(2L);
		assertThat(segment("wire.undecodable")).contains("\"after\":\"row-0\"", "schema id 999999",
				"but the bytes are not a datum of that schema", "\"undecoded\"");
	}

	@Test
	void aPayloadThatDoesNotFitItsFormatIsReportedWithItsBytes() throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", source.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic("misfit.headerless", 1, (short) 1))).all().get();
		}
		// What Apicurio's converter writes with its defaults, with the id headers lost on the way.
		byte[] plainAvro = AvroPayloads.datum(VALUE, value(null, "a misfit row"));
		try (KafkaProducer<byte[], byte[]> producer = producer()) {
			producer.send(new ProducerRecord<>("misfit.headerless", 0, null, null, plainAvro)).get();
		}
		CommandRun misfit = CommandRun.of(source.properties(storage.resolve("misfit"),
				"--kafka-dr.topics.avro=misfit\\..*"), "backup", "--backup-id", "misfit", "--strict");
		assertThat(misfit.exitCode()).as(misfit.toString()).isNotZero();
		assertThat(misfit.toString()).contains("misfit.headerless-0 offset 0",
				"first bytes " + HexFormat.ofDelimiter(" ").formatHex(plainAvro, 0, Math.min(16, plainAvro.length)),
				"read in the confluent wire format", "kafka-dr.topics.wire-format");
	}

	private static void produce() throws Exception {
		RegistryClient registry = source.registryClient();
		int keyId = registry.register("wire-key", "AVRO", KEY.toString(), List.of(), null, null);
		int valueId = registry.register("wire-value", "AVRO", VALUE.toString(), List.of(), null, null);
		ApicurioRegistry apicurio = registry.apicurio().orElseThrow();
		ApicurioRegistry.ArtifactVersion key = apicurio.versions().stream()
			.filter(v -> v.artifactId().equals("wire-key")).findFirst().orElseThrow();
		ApicurioRegistry.ArtifactVersion value = apicurio.versions().stream()
			.filter(v -> v.artifactId().equals("wire-value")).findFirst().orElseThrow();
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", source.bootstrapServers()))) {
			admin.createTopics(TOPICS.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
		}
		try (KafkaProducer<byte[], byte[]> producer = producer()) {
			for (int i = 0; i < 3; i++) {
				byte[] keyDatum = AvroPayloads.datum(KEY, key(i));
				// Inserts (before = null, first byte 0) and one update, so that both shapes of datum are covered.
				byte[] valueDatum = AvroPayloads.datum(VALUE, value((i == 2) ? "old" : null, "row-" + i));
				send(producer, "wire.confluent", WireFormat.CONFLUENT.encode(keyId, keyDatum),
						WireFormat.CONFLUENT.encode(valueId, valueDatum), List.of());
				send(producer, "wire.global-prefix", WireFormat.APICURIO_GLOBAL_ID.encode(key.globalId(), keyDatum),
						WireFormat.APICURIO_GLOBAL_ID.encode(value.globalId(), valueDatum), List.of());
				send(producer, "wire.content-prefix", WireFormat.APICURIO_CONTENT_ID.encode(key.contentId(), keyDatum),
						WireFormat.APICURIO_CONTENT_ID.encode(value.contentId(), valueDatum), List.of());
				send(producer, "wire.global-headers", keyDatum, valueDatum,
						List.of(new RecordHeader("apicurio.key.globalId", WireFormat.headerValue(key.globalId())),
								new RecordHeader("apicurio.value.globalId", WireFormat.headerValue(value.globalId()))));
				send(producer, "wire.content-headers", keyDatum, valueDatum,
						List.of(new RecordHeader("apicurio.key.contentId", WireFormat.headerValue(key.contentId())),
								new RecordHeader("apicurio.value.contentId", WireFormat.headerValue(value.contentId()))));
				byte[] guid = new byte[17];
				guid[0] = 1;
				guid[16] = (byte) i;
				send(producer, "wire.guid-headers", keyDatum, valueDatum,
						List.of(new RecordHeader("__key_schema_id", guid), new RecordHeader("__value_schema_id", guid)));
				// one good value, one under an id no registry has, one whose union branch index (5) the schema lacks
				byte[] undecodable = switch (i) {
					case 0 -> WireFormat.CONFLUENT.encode(valueId, valueDatum);
					case 1 -> WireFormat.CONFLUENT.encode(999_999, valueDatum);
					default -> WireFormat.CONFLUENT.encode(valueId, new byte[] { 10, 2, 'x' });
				};
				send(producer, "wire.undecodable", WireFormat.CONFLUENT.encode(keyId, keyDatum), undecodable, List.of());
			}
		}
	}

	private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] key, byte[] value,
			List<RecordHeader> headers) throws Exception {
		producer.send(new ProducerRecord<>(topic, 0, System.currentTimeMillis(), key, value, new ArrayList<>(headers)))
			.get();
	}

	private static KafkaProducer<byte[], byte[]> producer() {
		return new KafkaProducer<>(Map.of("bootstrap.servers", source.bootstrapServers(), "key.serializer",
				ByteArraySerializer.class, "value.serializer", ByteArraySerializer.class));
	}

	private static GenericRecord key(int id) {
		GenericRecord key = new GenericData.Record(KEY);
		key.put("id", id);
		return key;
	}

	private static GenericRecord value(String before, String after) {
		GenericRecord value = new GenericData.Record(VALUE);
		value.put("before", before);
		value.put("after", after);
		return value;
	}

	private static String segment(String topic) throws Exception {
		Path directory = storage.resolve("wire").resolve("topics").resolve(topic).resolve("0");
		try (var files = Files.list(directory)) {
			Path file = files.filter(f -> f.toString().endsWith(".jsonl.zst")).findFirst().orElseThrow();
			StringBuilder lines = new StringBuilder();
			try (SegmentLines segment = LocalFiles.lines(file)) {
				for (String line = segment.next(); line != null; line = segment.next()) {
					lines.append(line).append('\n');
				}
			}
			return lines.toString();
		}
	}

}
