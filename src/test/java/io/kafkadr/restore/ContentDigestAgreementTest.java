package io.kafkadr.restore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.kafkadr.archive.ArchivedRecord;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.ContentDigest;
import io.kafkadr.archive.DatumEncoder;
import io.kafkadr.archive.EncodedBlock;
import io.kafkadr.archive.RecordDigester;
import io.kafkadr.archive.RecordLineReader;
import io.kafkadr.archive.RecordLineWriter;
import io.kafkadr.archive.RegistryContents;
import io.kafkadr.archive.SchemaStore;
import io.kafkadr.archive.StoredSchema;
import io.kafkadr.archive.WriterSchema;
import io.kafkadr.avro.WireFormat;
import io.kafkadr.testing.AvroPayloads;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three places a record's content digest is computed agree: the backup, from the source's
 * records as it encodes their lines; verification, from the lines in the backup; validation, from
 * the records read back from the target. If they drifted, every validation would fail (or, worse,
 * one of them would stop covering a part of the record).
 */
class ContentDigestAgreementTest {

	private static final Schema ROW = SchemaBuilder.record("Row")
		.fields()
		.requiredLong("id")
		.optionalString("name")
		.endRecord();

	private static final int SCHEMA_ID = 7;

	@TempDir
	Path storage;

	@Test
	void backupVerificationAndValidationChainTheSameDigests() {
		BackupDirectory backup = new BackupStorage(this.storage).backup("digests");
		SchemaStore schemas = new SchemaStore(backup);
		String fingerprint = schemas.put(new StoredSchema("AVRO", ROW.toString(), List.of()));
		WriterSchema writer = new WriterSchema(fingerprint, ROW);
		RegistryContents registry = new RegistryContents("http://registry", Instant.EPOCH, null, null,
				List.of(new RegistryContents.Subject("rows-value", false, null, null,
						List.of(new RegistryContents.Version(1, SCHEMA_ID, "AVRO", fingerprint, List.of(), false, null, null)),
						List.of())));

		for (boolean avroTopic : new boolean[] { false, true }) {
			List<ConsumerRecord<byte[], byte[]>> records = records();
			RecordLineWriter lines = new RecordLineWriter(avroTopic, WireFormat.CONFLUENT, (kind, id) -> {
				assertThat(id).isEqualTo(SCHEMA_ID);
				return writer;
			}, true);
			EncodedBlock block = lines.encode(records);

			byte[] backupChain = ContentDigest.EMPTY;
			for (int i = 0; i < block.records(); i++) {
				backupChain = new ContentDigest().chain(backupChain, block.digests(), i * ContentDigest.LENGTH);
			}

			RecordLineReader reader = new RecordLineReader();
			RecordDigester verification = new RecordDigester(new DatumEncoder(schemas));
			byte[] verifyChain = ContentDigest.EMPTY;
			int start = 0;
			for (int i = 0; i < block.length(); i++) {
				if (block.lines()[i] == '\n') {
					ArchivedRecord archived = reader.read(block.lines(), start, i - start);
					verifyChain = verification.chain(verifyChain, archived);
					start = i + 1;
				}
			}

			TargetDigester validation = new TargetDigester(avroTopic, WireFormat.CONFLUENT, SchemaIdMapping.kept(registry),
					4);
			byte[] validationChain = ContentDigest.EMPTY;
			for (ConsumerRecord<byte[], byte[]> record : records) {
				validationChain = validation.chain(validationChain, record);
			}

			assertThat(ContentDigest.hex(verifyChain)).as("verification, Avro topic: %s", avroTopic)
				.isEqualTo(ContentDigest.hex(backupChain));
			assertThat(ContentDigest.hex(validationChain)).as("validation, Avro topic: %s", avroTopic)
				.isEqualTo(ContentDigest.hex(backupChain));
			assertThat(validation.problem()).isNull();
		}
	}

	@Test
	void everyPartOfARecordCountsInItsDigest() {
		RecordLineWriter lines = new RecordLineWriter(false, WireFormat.CONFLUENT, (kind, id) -> null, true);
		List<String> digests = new ArrayList<>();
		for (ConsumerRecord<byte[], byte[]> record : List.of(record(1, "k", "v", "h", "x"), record(2, "k", "v", "h", "x"),
				record(1, "K", "v", "h", "x"), record(1, "k", "V", "h", "x"), record(1, "k", "v", "H", "x"),
				record(1, "k", "v", "h", "X"), record(1, null, "v", "h", "x"), record(1, "k", null, "h", "x"),
				record(1, "k", "v", "h", null))) {
			EncodedBlock block = lines.encode(List.of(record));
			digests.add(ContentDigest.hex(new ContentDigest().chain(ContentDigest.EMPTY, block.digests(), 0)));
		}
		assertThat(digests).doesNotHaveDuplicates();
	}

	/** Raw text, binary bytes, null keys and values, headers, and Confluent-framed Avro values. */
	private static List<ConsumerRecord<byte[], byte[]>> records() {
		List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
		records.add(record(1_700_000_000_000L, "customer-1", "{\"status\":\"new\"}", "source", "crm"));
		records.add(record(1_700_000_000_001L, null, null, "source", null));
		ConsumerRecord<byte[], byte[]> binary = new ConsumerRecord<>("rows", 0, 2, 1_700_000_000_002L,
				TimestampType.CREATE_TIME, 0, 0, new byte[] { (byte) 0xff, 0, 1 }, new byte[] { (byte) 0xc3, 0x28 },
				new RecordHeaders(), Optional.empty());
		records.add(binary);
		ConsumerRecord<byte[], byte[]> avro = new ConsumerRecord<>("rows", 0, 3, 1_700_000_000_003L,
				TimestampType.LOG_APPEND_TIME, 0, 0, "customer-3".getBytes(StandardCharsets.UTF_8), confluent(3, "Ada"),
				new RecordHeaders(), Optional.empty());
		records.add(avro);
		ConsumerRecord<byte[], byte[]> avroNullName = new ConsumerRecord<>("rows", 0, 4, 1_700_000_000_004L,
				TimestampType.CREATE_TIME, 0, 0, "customer-4".getBytes(StandardCharsets.UTF_8), confluent(4, null),
				new RecordHeaders(), Optional.empty());
		records.add(avroNullName);
		return records;
	}

	private static ConsumerRecord<byte[], byte[]> record(long timestamp, String key, String value, String header,
			String headerValue) {
		RecordHeaders headers = new RecordHeaders();
		headers.add(header, (headerValue == null) ? null : headerValue.getBytes(StandardCharsets.UTF_8));
		return new ConsumerRecord<>("rows", 0, timestamp % 100, timestamp, TimestampType.CREATE_TIME, 0, 0,
				(key == null) ? null : key.getBytes(StandardCharsets.UTF_8),
				(value == null) ? null : value.getBytes(StandardCharsets.UTF_8), headers, Optional.empty());
	}

	/** A row in Confluent's wire format: magic byte, the schema id, the Avro datum. */
	private static byte[] confluent(long id, String name) {
		GenericRecord row = new GenericData.Record(ROW);
		row.put("id", id);
		row.put("name", name);
		return AvroPayloads.encode(SCHEMA_ID, ROW, row);
	}

}
