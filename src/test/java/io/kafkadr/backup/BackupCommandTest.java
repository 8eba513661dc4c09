package io.kafkadr.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import com.github.luben.zstd.ZstdOutputStream;
import io.kafkadr.archive.ArchivedRecord;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.DatumEncoder;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.Payload;
import io.kafkadr.archive.RecordLineReader;
import io.kafkadr.archive.SchemaStore;
import io.kafkadr.archive.SegmentLines;
import io.kafkadr.testing.CdcCorpus;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.LocalFiles;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SourceRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The backup command end to end, against a real broker and a real registry. */
@Tag("integration")
class BackupCommandTest {

	private static Sandboxes sandboxes;

	@TempDir
	Path storage;

	@BeforeAll
	static void seed() {
		sandboxes = Sandboxes.start();
		new CdcCorpus(sandboxes.bootstrapServers(), sandboxes.registryClient()).seed();
	}

	@AfterAll
	static void stop() {
		sandboxes.close();
	}

	private List<String> properties(String... more) {
		return sandboxes.properties(this.storage, more);
	}

	@Test
	void everythingItWritesIsReadableByItsOwnerOnly() throws IOException {
		// gzip too, so that both kinds of segment are created the same way
		CommandRun run = CommandRun.of(properties("--kafka-dr.topics.avro=postgres\\.public\\..*",
				"--kafka-dr.topics.raw=connect-offsets", "--kafka-dr.backup.compression=gzip"), "backup", "--backup-id",
				"private");
		assertThat(run.exitCode()).as(run.toString()).isZero();
		List<Path> written;
		try (Stream<Path> files = Files.walk(this.storage)) {
			written = files.filter(path -> !path.equals(this.storage)).toList();
		}
		assertThat(written).anyMatch(path -> path.toString().endsWith(".jsonl.gz"))
			.anyMatch(path -> path.getFileName().toString().equals("registry-export.zip"));
		for (Path path : written) {
			String permissions = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
			if (Files.isDirectory(path)) {
				assertThat(permissions).as(path.toString()).isEqualTo("rwx------");
			}
			else if (!this.storage.relativize(path).startsWith(".kafka-dr")) {
				// The job repository's files are H2's own, inside the owner-only .kafka-dr directory.
				assertThat(permissions).as(path.toString()).isEqualTo("rw-------");
			}
		}
	}

	@Test
	void backsUpEveryRecordExactly() {
		CommandRun run = CommandRun.of(properties("--kafka-dr.topics.avro=postgres\\.public\\..*",
				"--kafka-dr.topics.raw=connect-offsets,binary-events,audit-log,blobs"), "backup", "--backup-id", "full");
		assertThat(run.exitCode()).as(run.toString()).isZero();
		assertThat(run.out()).contains("backup-id: full").contains("COMPLETED");

		BackupDirectory backup = new BackupStorage(this.storage).backup("full");
		Manifest manifest = backup.manifest();
		assertThat(manifest.topics()).extracting(Manifest.Topic::name)
			.containsExactly(CdcCorpus.AUDIT, CdcCorpus.BINARY, CdcCorpus.BLOBS, CdcCorpus.CONNECT_OFFSETS,
					CdcCorpus.EMPTY, CdcCorpus.ORDERS, CdcCorpus.PRODUCTS, CdcCorpus.USERS);
		long total = 0;
		for (Manifest.Topic topic : manifest.topics()) {
			for (Manifest.Partition partition : topic.partitions()) {
				TopicPartition tp = new TopicPartition(topic.name(), partition.partition());
				List<ConsumerRecord<byte[], byte[]>> source = SourceRecords.read(sandboxes.bootstrapServers(), tp);
				List<ArchivedRecord> archived = archived(backup, partition);
				assertThat(archived).as(tp.toString()).hasSize(source.size());
				assertThat(partition.records()).isEqualTo(source.size());
				SchemaStore schemas = new SchemaStore(backup);
				DatumEncoder datums = new DatumEncoder(schemas);
				for (int i = 0; i < source.size(); i++) {
					assertSameRecord(source.get(i), archived.get(i), datums);
				}
				total += source.size();
			}
		}
		assertThat(manifest.totals().records()).isEqualTo(total);
		assertThat(manifest.totals().partitions()).isEqualTo(3 + 2 + 2 + 25 + 1 + 1 + 1 + 2);
		Manifest.Partition audit = manifest.topics().get(0).partitions().get(0);
		assertThat(audit.startOffset()).isEqualTo(5);
		assertThat(audit.firstOffset()).isEqualTo(5);

		CommandRun verify = CommandRun.of(properties(), "verify", "--backup-id", "full");
		assertThat(verify.exitCode()).as(verify.toString()).isZero();
		assertThat(verify.out()).contains("is intact", String.format("%,d records decoded", total));

		CommandRun backups = CommandRun.of(properties(), "backups");
		assertThat(backups.exitCode()).isZero();
		assertThat(backups.out()).containsPattern("full\\s+complete\\s+.*" + String.format("%,d", total));
		CommandRun history = CommandRun.of(properties(), "history");
		assertThat(history.out()).contains("backup full", "COMPLETED", "cdcTopics", "partitions 8/8 done");
	}

	@Test
	void verifyNamesTheFirstDamagedFileAndLine() throws IOException {
		CommandRun run = CommandRun.of(properties("--kafka-dr.topics.raw=connect-offsets|audit-log"), "backup",
				"--backup-id", "damaged");
		assertThat(run.exitCode()).as(run.toString()).isZero();
		BackupDirectory backup = new BackupStorage(this.storage).backup("damaged");
		Manifest.Segment segment = backup.manifest().topics().get(0).partitions().get(0).segments().get(0);
		Path file = LocalFiles.of(backup, segment.file());
		List<String> lines = new ArrayList<>();
		try (SegmentLines segmentLines = LocalFiles.lines(file)) {
			for (String line = segmentLines.next(); line != null; line = segmentLines.next()) {
				lines.add(line);
			}
		}
		lines.set(2, lines.get(2).replace("\"audit ", "\"AUDIT "));
		try (var out = new ZstdOutputStream(Files.newOutputStream(file))) {
			out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
		}
		CommandRun changed = CommandRun.of(properties(), "verify", "--backup-id", "damaged");
		assertThat(changed.exitCode()).as(changed.toString()).isEqualTo(1);
		assertThat(changed.out()).contains("is damaged", segment.file() + ": holds");

		// A change made by someone who also rewrote the checksum is still caught, at its line.
		rewriteChecksum(backup, file);
		CommandRun consistent = CommandRun.of(properties(), "verify", "--backup-id", "damaged");
		assertThat(consistent.exitCode()).as(consistent.toString()).isEqualTo(1);
		assertThat(consistent.out()).contains("topics/audit-log/0: content digest");

		lines.set(2, "{not json");
		try (var out = new ZstdOutputStream(Files.newOutputStream(file))) {
			out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
		}
		rewriteChecksum(backup, file);
		CommandRun broken = CommandRun.of(properties(), "verify", "--backup-id", "damaged");
		assertThat(broken.exitCode()).isEqualTo(1);
		assertThat(broken.out()).contains(segment.file() + ":3: not JSON");

		Files.delete(LocalFiles.of(backup, BackupDirectory.MANIFEST));
		CommandRun incomplete = CommandRun.of(properties(), "verify", "--backup-id", "damaged");
		assertThat(incomplete.exitCode()).isEqualTo(1);
		assertThat(incomplete.out()).contains("manifest.json: missing: the backup is incomplete");
		assertThat(CommandRun.of(properties(), "backups").out()).containsPattern("damaged\\s+incomplete");
	}

	private static void rewriteChecksum(BackupDirectory backup, Path file) throws IOException {
		Manifest.Segment segment = backup.manifest().topics().get(0).partitions().get(0).segments().get(0);
		Path manifest = LocalFiles.of(backup, BackupDirectory.MANIFEST);
		String text = Files.readString(manifest);
		text = text.replace(segment.sha256(), LocalFiles.sha256(file))
			.replace("\"bytes\" : " + segment.bytes() + ",", "\"bytes\" : " + file.toFile().length() + ",");
		Files.writeString(manifest, text);
	}

	private static void assertSameRecord(ConsumerRecord<byte[], byte[]> source, ArchivedRecord archived,
			DatumEncoder datums) {
		String where = source.topic() + "-" + source.partition() + "@" + source.offset();
		assertThat(archived.offset()).as(where).isEqualTo(source.offset());
		assertThat(archived.partition()).as(where).isEqualTo(source.partition());
		assertThat(archived.timestamp()).as(where).isEqualTo(source.timestamp());
		assertThat(archived.timestampType()).as(where).isEqualTo(source.timestampType());
		assertThat(bytes(archived.key(), datums)).as(where + " key").isEqualTo(source.key());
		assertThat(bytes(archived.value(), datums)).as(where + " value").isEqualTo(source.value());
		List<String> sourceHeaders = new ArrayList<>();
		for (Header header : source.headers()) {
			sourceHeaders.add(header.key() + "=" + Arrays.toString(header.value()));
		}
		assertThat(archived.headers()).as(where + " headers")
			.extracting(h -> h.name() + "=" + Arrays.toString(h.value()))
			.containsExactlyElementsOf(sourceHeaders);
		assertThat(archived.headers().stream().noneMatch(h -> h.name().equals(CdcCorpus.ABORTED_HEADER))).isTrue();
	}

	/** The payload as the source had it: Avro rebuilt in the wire format with the original id. */
	private static byte[] bytes(Payload payload, DatumEncoder datums) {
		return switch (payload) {
			case null -> null;
			case Payload.Bytes bytes -> bytes.bytes();
			case Payload.Avro avro -> avro.wire().encode(avro.schemaId(), datums.datum(avro));
		};
	}

	private static List<ArchivedRecord> archived(BackupDirectory backup, Manifest.Partition partition) {
		RecordLineReader reader = new RecordLineReader();
		List<ArchivedRecord> records = new ArrayList<>();
		for (Manifest.Segment segment : partition.segments()) {
			try (SegmentLines lines = backup.segmentLines(segment.file())) {
				for (String line = lines.next(); line != null; line = lines.next()) {
					records.add(reader.read(line));
				}
			}
		}
		return records;
	}

}
