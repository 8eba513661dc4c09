package io.kafkadr.archive;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.kafkadr.avro.ConfluentWireFormat;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.SchemaReference;
import io.kafkadr.sandbox.CdcPipelineSeeder;
import io.kafkadr.testing.AvroPayloads;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.Sandboxes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Made src/test/resources/fixtures/format-v1 once; running it again makes a backup in the then current format. */
public final class FormatV1FixtureGenerator {

	static final String BACKUP_ID = "v1-fixture";

	static final String EDGE_CASES = "fixture.edge-cases";

	static final String BINARY = "fixture.binary-events";

	static final String READER_GROUP = "fixture-reader";

	private static final int CHANGES_PER_TABLE = 12;

	private static final String MONEY = """
			{"type":"record","name":"Money","namespace":"fixture","fields":[
			  {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}},
			  {"name":"currency","type":"string"}]}""";

	private static final String EDGE_CASE = """
			{"type":"record","name":"EdgeCase","namespace":"fixture","fields":[
			  {"name":"id","type":"int"},
			  {"name":"f","type":"float"},
			  {"name":"d","type":"double"},
			  {"name":"b","type":"bytes"},
			  {"name":"hash","type":{"type":"fixed","name":"Hash","size":4}},
			  {"name":"price","type":"fixture.Money"},
			  {"name":"kind","type":{"type":"enum","name":"Kind","symbols":["A","B"]}},
			  {"name":"tags","type":{"type":"array","items":"string"}},
			  {"name":"attrs","type":{"type":"map","values":"long"}},
			  {"name":"choice","type":["null","string","long"],"default":null},
			  {"name":"day","type":{"type":"int","logicalType":"date"}},
			  {"name":"uuid","type":{"type":"string","logicalType":"uuid"}}]}""";

	private FormatV1FixtureGenerator() {
	}

	/** {@code args[0]}: the storage location to write the backup {@value #BACKUP_ID} into. */
	public static void main(String[] args) throws Exception {
		Path storage = Path.of(args[0]).toAbsolutePath();
		try (Sandboxes source = Sandboxes.start()) {
			new CdcPipelineSeeder(source.bootstrapServers(), source.registryClient()).seed(CHANGES_PER_TABLE);
			RegistryClient registry = source.registryClient();
			registry.setGlobalCompatibility("BACKWARD");
			registry.setSubjectCompatibility(CdcPipelineSeeder.USERS_TOPIC + "-value", "FULL_TRANSITIVE");
			seedEdgeCases(source.bootstrapServers(), registry);
			run(source.properties(storage, "--kafka-dr.topics.avro=postgres\\.public\\..*,fixture\\.edge-cases",
					"--kafka-dr.topics.raw=connect-configs,connect-offsets,connect-status,_schemas,fixture\\.binary-events"),
					"backup", "--backup-id", BACKUP_ID);
			run(source.properties(storage), "verify", "--backup-id", BACKUP_ID);
		}
		// the job repository and the lock are this run's, not part of the backup
		try (Stream<Path> files = Files.walk(storage.resolve(".kafka-dr"))) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
		}
	}

	private static void run(List<String> properties, String... command) {
		CommandRun run = CommandRun.of(properties, command);
		System.out.println(run);
		if (run.exitCode() != 0) {
			throw new IllegalStateException(command[0] + " failed");
		}
	}

	/**
	 * An Avro topic with a schema that references another subject's, every Avro type, a datum that
	 * is not canonical, and keys and values that are not Avro; a raw LogAppendTime topic, written in
	 * transactions (one aborted), with bytes that are not UTF-8; a group whose offset lies after the gap.
	 */
	private static void seedEdgeCases(String bootstrapServers, RegistryClient registry) throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
			admin.createTopics(List.of(new NewTopic(EDGE_CASES, 1, (short) 1),
					new NewTopic(BINARY, 1, (short) 1).configs(Map.of("message.timestamp.type", "LogAppendTime"))))
				.all()
				.get();
			registry.register("fixture.Money", "AVRO", MONEY, List.of(), null, null);
			int edgeId = registry.register(EDGE_CASES + "-value", "AVRO", EDGE_CASE,
					List.of(new SchemaReference("fixture.Money", "fixture.Money", 1)), null, null);
			Schema.Parser parser = new Schema.Parser();
			parser.parse(MONEY);
			Schema edge = parser.parse(EDGE_CASE);
			long now = System.currentTimeMillis() - 60_000;
			try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers, Map.of())) {
				RecordHeaders headers = new RecordHeaders();
				headers.add("trace", utf8("t-1"));
				headers.add("trace", utf8("t-2 ü €"));
				headers.add("empty", null);
				headers.add("binary", new byte[] { (byte) 0xff, 0 });
				producer.send(new ProducerRecord<>(EDGE_CASES, 0, now, utf8("edge-1"),
						AvroPayloads.encode(edgeId, edge, edgeCase(edge, 1, -0.0f, Double.NaN)), headers));
				// id 2 as an overlong varint (0x84 0x00 instead of 0x04): decodes, but is kept as raw bytes too
				byte[] canonical = AvroPayloads.datum(edge, edgeCase(edge, 2, Float.POSITIVE_INFINITY, 1e-310));
				byte[] overlong = new byte[canonical.length + 1];
				overlong[0] = (byte) 0x84;
				overlong[1] = 0;
				System.arraycopy(canonical, 1, overlong, 2, canonical.length - 1);
				producer.send(new ProducerRecord<>(EDGE_CASES, 0, now + 1, null, ConfluentWireFormat.encode(edgeId, overlong)));
				producer.send(new ProducerRecord<>(EDGE_CASES, 0, now + 2, new byte[] { (byte) 0xff, (byte) 0xfe },
						new byte[] { (byte) 0xc3, 0x28 }));
				producer.send(new ProducerRecord<>(EDGE_CASES, 0, now + 3, utf8("short"), new byte[] { 0, 1 }));
				producer.send(new ProducerRecord<>(EDGE_CASES, 0, now + 4, utf8("edge-1"), (byte[]) null));
			}
			try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers,
					Map.of("transactional.id", "fixture-tx"))) {
				producer.initTransactions();
				producer.beginTransaction();
				producer.send(new ProducerRecord<>(BINARY, 0, now, null, new byte[] { 0, 0, 0, 0, 7, (byte) 0x99, 1 }));
				producer.send(new ProducerRecord<>(BINARY, 0, now, new byte[] { (byte) 0xff, 1 },
						utf8("text ü € 𝄞 \u0000 \n line")));
				producer.commitTransaction();
				producer.beginTransaction();
				producer.send(new ProducerRecord<>(BINARY, 0, now, utf8("aborted"), utf8("never committed")));
				producer.abortTransaction();
				producer.beginTransaction();
				RecordHeaders headers = new RecordHeaders();
				headers.add("bytes", new byte[] { (byte) 0x80 });
				producer.send(new ProducerRecord<>(BINARY, 0, now, utf8("after-gap"), utf8("{\"json\":true}"), headers));
				producer.commitTransaction();
			}
			// offsets 0-1 committed, 2 a marker, 3 the aborted record, 4 its marker, 5 committed, 6 a marker:
			// the group's next record is the aborted one, so a restore moves it to where offset 5 went
			admin.alterConsumerGroupOffsets(READER_GROUP, Map.of(new TopicPartition(BINARY, 0),
					new OffsetAndMetadata(3, "reader-0"), new TopicPartition(EDGE_CASES, 0), new OffsetAndMetadata(2)))
				.all()
				.get();
		}
	}

	private static GenericRecord edgeCase(Schema schema, int id, float f, double d) {
		GenericRecord money = new GenericData.Record(schema.getField("price").schema());
		money.put("amount", ByteBuffer.wrap(new BigDecimal("-1234.5" + id).unscaledValue().toByteArray()));
		money.put("currency", "EUR");
		GenericRecord value = new GenericData.Record(schema);
		value.put("id", id);
		value.put("f", f);
		value.put("d", d);
		value.put("b", ByteBuffer.wrap(new byte[] { 0, (byte) 0xff, (byte) id }));
		value.put("hash", new GenericData.Fixed(schema.getField("hash").schema(), new byte[] { 1, 2, 3, (byte) id }));
		value.put("price", money);
		value.put("kind", new GenericData.EnumSymbol(schema.getField("kind").schema(), (id == 1) ? "A" : "B"));
		value.put("tags", new ArrayList<>(List.of("x", "\"quoted\" \t ✓")));
		Map<String, Long> attrs = new LinkedHashMap<>();
		attrs.put("z", Long.MIN_VALUE);
		attrs.put("a", (long) id);
		value.put("attrs", attrs);
		value.put("choice", (id == 1) ? "a string" : Long.MAX_VALUE);
		value.put("day", 20_000 + id);
		value.put("uuid", "0b7c2a3e-5f1d-4c8e-9a6b-00000000000" + id);
		return value;
	}

	private static KafkaProducer<byte[], byte[]> producer(String bootstrapServers, Map<String, Object> extra) {
		Map<String, Object> config = new HashMap<>(extra);
		config.put("bootstrap.servers", bootstrapServers);
		config.put("key.serializer", ByteArraySerializer.class);
		config.put("value.serializer", ByteArraySerializer.class);
		return new KafkaProducer<>(config);
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
