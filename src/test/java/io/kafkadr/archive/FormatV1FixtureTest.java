package io.kafkadr.archive;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import io.kafkadr.avro.AvroBinaryToJson;
import io.kafkadr.avro.AvroSchemas;
import io.kafkadr.registry.RegisteredSchema;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.SchemaReference;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.DirectoryCopy;
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
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The format-version-1 backup in src/test/resources/fixtures/format-v1 still verifies, restores and validates exactly. */
@Tag("integration")
class FormatV1FixtureTest {

	/** Made once by kafka-dr at format version 1 (see its README.md); never regenerated. */
	private static final Path FIXTURE = Path.of("src", "test", "resources", "fixtures", "format-v1");

	private static final String BACKUP_ID = "v1-fixture";

	@TempDir
	static Path storage;

	private static Path backup;

	private static Sandboxes target;

	private static CommandRun refused;

	private static CommandRun restore;

	/** What the target holds in every backed-up partition, read once right after the restore. */
	private static final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> restored = new LinkedHashMap<>();

	@BeforeAll
	static void restoreIntoAFreshCluster() throws IOException {
		DirectoryCopy.copy(FIXTURE, storage);
		backup = storage.resolve(BACKUP_ID);
		target = Sandboxes.start();
		// Format 1 kept no Apicurio export, and an Apicurio registry keeps ids only through one: new ids must be accepted.
		refused = CommandRun.of(target.properties(storage), "restore", "--backup-id", BACKUP_ID, "--retention", "suspend");
		// The fixture's records are older than their topics' retention (7 days by default): kept until validated.
		restore = CommandRun.of(target.properties(storage), "restore", "--backup-id", BACKUP_ID, "--retention", "suspend",
				"--allow-new-schema-ids");
		if (restore.exitCode() == 0) {
			// Read at once: with retention applied again, the broker deletes these records at its next retention
			// check (the sandbox's comes a day after it started, a real broker's within five minutes).
			for (JsonNode topic : manifest().get("topics")) {
				for (JsonNode partition : topic.get("partitions")) {
					TopicPartition tp = new TopicPartition(topic.get("name").stringValue(), partition.get("partition").intValue());
					restored.put(tp, SourceRecords.read(target.bootstrapServers(), tp));
				}
			}
		}
	}

	@AfterAll
	static void stop() {
		if (target != null) {
			target.close();
		}
	}

	@Test
	void isAFormatVersion1Backup() {
		JsonNode manifest = manifest();
		assertThat(manifest.get("format").stringValue()).isEqualTo("kafka-dr-backup");
		assertThat(manifest.get("formatVersion").intValue()).isEqualTo(1);
		assertThat(manifest.get("backupId").stringValue()).isEqualTo(BACKUP_ID);
		assertThat(FIXTURE.resolve(".kafka-dr")).as("the job repository of the run that made it").doesNotExist();
	}

	@Test
	void refusesToGiveTheSchemasNewIdsUnlessAccepted() {
		assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
		assertThat(refused.err()).contains("cannot keep their ids", "older than backup format 2", "--allow-new-schema-ids",
				"Nothing was written");
	}

	@Test
	void verifies() {
		CommandRun verify = CommandRun.of(List.of("--kafka-dr.storage.location=" + storage), "verify", "--backup-id",
				BACKUP_ID);
		assertThat(verify.exitCode()).as(verify.toString()).isZero();
		assertThat(verify.out()).contains("intact", "141 records");
	}

	@Test
	void restoresAndValidates() {
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		assertThat(restore.out()).contains("Validation PASSED", "restoreJob", "COMPLETED");
	}

	@Test
	void restoresEveryRecordAsTheFixtureHoldsIt() {
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		long total = 0;
		for (JsonNode topic : manifest().get("topics")) {
			for (JsonNode partition : topic.get("partitions")) {
				TopicPartition tp = new TopicPartition(topic.get("name").stringValue(), partition.get("partition").intValue());
				List<JsonNode> expected = fixtureRecords(partition);
				List<ConsumerRecord<byte[], byte[]>> actual = restored.get(tp);
				assertThat(expected).as("fixture records of " + tp).hasSize(partition.get("records").intValue());
				assertThat(actual).as("restored records of " + tp).hasSize(expected.size());
				for (int i = 0; i < expected.size(); i++) {
					assertSameRecord(expected.get(i), actual.get(i));
				}
				total += actual.size();
			}
		}
		assertThat(total).isEqualTo(manifest().get("totals").get("records").longValue()).isEqualTo(141);
	}

	/** A group's offset X becomes the target offset of the first restored record at or after source offset X. */
	@Test
	void translatesTheConsumerGroupsOffsets() throws Exception {
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		JsonNode groups = read("consumer-groups.json").get("groups");
		assertThat(groups).hasSize(2);
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", target.bootstrapServers()))) {
			for (JsonNode group : groups) {
				String groupId = group.get("groupId").stringValue();
				Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
					.partitionsToOffsetAndMetadata()
					.get();
				assertThat(committed).as(groupId).hasSize(group.get("offsets").size());
				for (JsonNode offset : group.get("offsets")) {
					TopicPartition tp = new TopicPartition(offset.get("topic").stringValue(), offset.get("partition").intValue());
					List<JsonNode> sources = fixtureRecords(tp);
					List<ConsumerRecord<byte[], byte[]>> targets = restored.get(tp);
					long expected = targets.isEmpty() ? 0 : targets.getLast().offset() + 1;
					for (int i = 0; i < sources.size(); i++) {
						if (sources.get(i).get("offset").longValue() >= offset.get("offset").longValue()) {
							expected = targets.get(i).offset();
							break;
						}
					}
					assertThat(committed.get(tp).offset()).as(groupId + " " + tp).isEqualTo(expected);
					assertThat(committed.get(tp).metadata()).as(groupId + " " + tp)
						.isEqualTo(offset.get("metadata").stringValue());
				}
			}
		}
	}

	@Test
	void restoresTheRegistryAndTheTopicConfigs() throws Exception {
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		JsonNode registry = read("registry.json");
		RegistryClient client = target.registryClient();
		List<String> subjects = new ArrayList<>();
		for (JsonNode subject : registry.get("subjects")) {
			String name = subject.get("name").stringValue();
			subjects.add(name);
			List<Integer> versions = new ArrayList<>();
			for (JsonNode version : subject.get("versions")) {
				versions.add(version.get("version").intValue());
				assertThat(client.version(name, version.get("version").intValue()).schema()).as(name)
					.isEqualTo(storedSchema(version.get("fingerprint").stringValue()).get("schema").stringValue());
			}
			assertThat(client.versions(name, false)).as(name).containsExactlyElementsOf(versions);
		}
		assertThat(client.subjects(false)).containsExactlyInAnyOrderElementsOf(subjects);
		assertThat(client.globalCompatibility()).hasValue("BACKWARD");
		assertThat(client.subjectCompatibility("postgres.public.users-value")).hasValue("FULL_TRANSITIVE");

		try (Admin admin = Admin.create(Map.of("bootstrap.servers", target.bootstrapServers()))) {
			for (JsonNode topic : read("topics.json").get("topics")) {
				String name = topic.get("name").stringValue();
				Map<String, String> configs = new HashMap<>();
				topic.get("configs").properties().forEach(entry -> configs.put(entry.getKey(), entry.getValue().stringValue()));
				assertThat(dynamicConfigs(admin, name)).as(name).isEqualTo(configs);
				assertThat(admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions()).as(name)
					.hasSize(topic.get("partitionCount").intValue());
			}
		}
	}

	/**
	 * Same timestamp, key, value and headers. A text or base64 payload is the exact bytes; an Avro
	 * payload is in the wire format with an id under which the target registry holds the same
	 * writer schema, and its datum decodes to the fixture's JSON (and is the fixture's raw bytes
	 * where it has them). The restore writes every record as CreateTime, also LogAppendTime ones.
	 */
	private static void assertSameRecord(JsonNode expected, ConsumerRecord<byte[], byte[]> actual) {
		String where = actual.topic() + "-" + actual.partition() + " fixture offset " + expected.get("offset").longValue();
		assertThat(actual.timestamp()).as(where + " timestamp").isEqualTo(expected.get("timestamp").longValue());
		if (expected.get("timestampType").stringValue().equals("CreateTime")) {
			assertThat(actual.timestampType()).as(where + " timestamp type").isEqualTo(TimestampType.CREATE_TIME);
		}
		assertSamePayload(where + " key", expected.get("key"), actual.key());
		assertSamePayload(where + " value", expected.get("value"), actual.value());
		List<String> headers = new ArrayList<>();
		for (JsonNode header : expected.get("headers")) {
			JsonNode value = header.get("value");
			headers.add(header.get("name").stringValue() + "=" + Arrays.toString(value.isNull() ? null : bytes(value)));
		}
		assertThat(Arrays.stream(actual.headers().toArray())
			.map((Header header) -> header.key() + "=" + Arrays.toString(header.value()))
			.toList()).as(where + " headers").containsExactlyElementsOf(headers);
	}

	private static void assertSamePayload(String where, JsonNode expected, byte[] actual) {
		if (expected.isNull()) {
			assertThat(actual).as(where).isNull();
			return;
		}
		if (!expected.has("avro")) {
			assertThat(actual).as(where).isEqualTo(bytes(expected));
			return;
		}
		assertThat(actual).as(where + " in the wire format").isNotNull().hasSizeGreaterThan(5).startsWith((byte) 0);
		String fingerprint = expected.get("schema").stringValue();
		JsonNode stored = storedSchema(fingerprint);
		RegisteredSchema written = target.registryClient().schemaById(ByteBuffer.wrap(actual, 1, 4).getInt());
		assertThat(written.schema()).as(where + " writer schema").isEqualTo(stored.get("schema").stringValue());
		List<SchemaReference> references = new ArrayList<>();
		for (JsonNode reference : stored.get("references")) {
			references.add(new SchemaReference(reference.get("name").stringValue(), reference.get("subject").stringValue(),
					reference.get("version").intValue()));
		}
		assertThat(written.references()).as(where + " writer schema's references").isEqualTo(references);

		ByteArrayOutputStream json = new ByteArrayOutputStream();
		boolean canonical;
		try (JsonGenerator generator = ArchiveJson.MAPPER.createGenerator(json)) {
			canonical = new AvroBinaryToJson().decode(avroSchema(fingerprint), actual, 5, actual.length - 5, generator);
		}
		assertThat(ArchiveJson.MAPPER.readTree(json.toByteArray())).as(where + " Avro datum")
			.isEqualTo(expected.get("avro"));
		if (expected.has("raw")) {
			assertThat(Arrays.copyOfRange(actual, 5, actual.length)).as(where + " raw datum bytes")
				.isEqualTo(expected.get("raw").binaryValue());
		}
		else {
			assertThat(canonical).as(where + " canonical datum").isTrue();
		}
	}

	private static byte[] bytes(JsonNode payload) {
		if (payload.has("text")) {
			return payload.get("text").stringValue().getBytes(StandardCharsets.UTF_8);
		}
		return payload.get("base64").binaryValue();
	}

	/** A stored writer schema, parsed after the schemas it references, depth first. */
	private static Schema avroSchema(String fingerprint) {
		List<String> referenced = new ArrayList<>();
		addReferenced(fingerprint, referenced);
		return AvroSchemas.parse(storedSchema(fingerprint).get("schema").stringValue(), referenced);
	}

	private static void addReferenced(String fingerprint, List<String> texts) {
		for (JsonNode reference : storedSchema(fingerprint).get("references")) {
			String referenced = reference.get("fingerprint").stringValue();
			addReferenced(referenced, texts);
			String text = storedSchema(referenced).get("schema").stringValue();
			if (!texts.contains(text)) {
				texts.add(text);
			}
		}
	}

	private static JsonNode storedSchema(String fingerprint) {
		return read("schemas/" + fingerprint + ".json");
	}

	private static List<JsonNode> fixtureRecords(TopicPartition tp) {
		for (JsonNode topic : manifest().get("topics")) {
			for (JsonNode partition : topic.get("partitions")) {
				if (topic.get("name").stringValue().equals(tp.topic()) && partition.get("partition").intValue() == tp.partition()) {
					return fixtureRecords(partition);
				}
			}
		}
		throw new AssertionError(tp + " is not in the fixture's manifest");
	}

	/** A partition's record lines, segment after segment as the manifest lists them. */
	private static List<JsonNode> fixtureRecords(JsonNode partition) {
		List<JsonNode> records = new ArrayList<>();
		for (JsonNode segment : partition.get("segments")) {
			try (BufferedReader lines = new BufferedReader(new InputStreamReader(
					new GZIPInputStream(Files.newInputStream(backup.resolve(segment.get("file").stringValue()))),
					StandardCharsets.UTF_8))) {
				for (String line = lines.readLine(); line != null; line = lines.readLine()) {
					records.add(ArchiveJson.MAPPER.readTree(line));
				}
			}
			catch (IOException ex) {
				throw new AssertionError("cannot read " + segment, ex);
			}
		}
		return records;
	}

	private static JsonNode manifest() {
		return read("manifest.json");
	}

	private static JsonNode read(String file) {
		try {
			return ArchiveJson.MAPPER.readTree(Files.readAllBytes(backup.resolve(file)));
		}
		catch (IOException ex) {
			throw new AssertionError("cannot read " + file, ex);
		}
	}

	private static Map<String, String> dynamicConfigs(Admin admin, String topic) throws Exception {
		ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
		Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
		Map<String, String> set = new HashMap<>();
		config.entries()
			.stream()
			.filter(entry -> entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
			.forEach(entry -> set.put(entry.name(), entry.value()));
		return set;
	}

}
