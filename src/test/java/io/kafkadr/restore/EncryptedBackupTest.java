package io.kafkadr.restore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.github.luben.zstd.ZstdInputStream;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.SegmentLines;
import io.kafkadr.encryption.KeyRing;
import io.kafkadr.storage.LocalObjectStore;
import io.kafkadr.testing.CdcCorpus;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.DirectoryCopy;
import io.kafkadr.testing.EncryptionKeys;
import io.kafkadr.testing.LocalFiles;
import io.kafkadr.testing.ManifestPartitions;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SourceRecords;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client-side encryption end to end, against a real broker and registry: what an encrypted backup
 * stores holds no record value or schema field in the clear, compressed or not; verify checks the
 * ciphertexts without the key and every record with it; a flipped bit is found either way; a
 * restore without the key, or with another key under its id, writes nothing; and after a key
 * rotation the chain restores exactly with both keys in the key file, and names the old key when
 * it is gone.
 */
@Tag("integration")
class EncryptedBackupTest {

	private static final String FULL = "sealed";

	private static final String ROTATED = "rotated";

	/** A value of every users record, and a field of its schema: neither may be stored in the clear. */
	private static final List<String> SECRETS = List.of("@example.com", "created_at");

	private static final String[] TOPICS = { "--kafka-dr.topics.avro=postgres\\.public\\..*",
			"--kafka-dr.topics.raw=connect-offsets,binary-events,audit-log,blobs" };

	private static Sandboxes source;

	private static Sandboxes target;

	@TempDir
	static Path storage;

	@TempDir
	static Path keys;

	private static Path k1;

	private static Path rotatedKeys;

	private static Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> sourceRecords;

	@BeforeAll
	static void backUpEncrypted() throws IOException {
		source = Sandboxes.start();
		target = Sandboxes.start();
		new CdcCorpus(source.bootstrapServers(), source.registryClient()).seed();
		String first = "k1=" + EncryptionKeys.newKey();
		k1 = keyFile("k1.keys", first);
		rotatedKeys = keyFile("rotated.keys", "k2=" + EncryptionKeys.newKey(), first);
		CommandRun full = CommandRun.of(properties(source, k1, storage, TOPICS), "backup", "--backup-id", FULL);
		assertThat(full.exitCode()).as(full.toString()).isZero();
		sourceRecords = SourceRecords.read(source.bootstrapServers(), ManifestPartitions.of(manifest(FULL)));
		CommandRun rotated = CommandRun.of(properties(source, rotatedKeys, storage, TOPICS), "backup", "--backup-id",
				ROTATED, "--incremental");
		assertThat(rotated.exitCode()).as(rotated.toString()).isZero();
	}

	@AfterAll
	static void stop() {
		source.close();
		target.close();
	}

	@Test
	void noRecordValueOrSchemaFieldIsStoredInTheClear() throws IOException {
		Manifest manifest = manifest(FULL);
		assertThat(manifest.formatVersion()).isEqualTo(4);
		assertThat(manifest.encryption().algorithm()).isEqualTo("AES-256-GCM");
		assertThat(manifest.encryption().keyIds()).containsExactly("k1");
		assertThat(manifest(ROTATED).encryption().keyIds()).containsExactly("k2");
		List<Path> stored;
		try (Stream<Path> files = Files.walk(storage.resolve(FULL))) {
			stored = files.filter(Files::isRegularFile).toList();
		}
		assertThat(stored).anyMatch(file -> file.toString().endsWith(".jsonl.zst"))
			.anyMatch(file -> file.toString().contains("/schemas/"));
		// What the checks below look for is there, once decrypted.
		BackupDirectory readable = new BackupStorage(new LocalObjectStore(storage), KeyRing.load(k1)).backup(FULL);
		Manifest.Segment users = usersSegment();
		StringBuilder clear = new StringBuilder();
		try (SegmentLines lines = readable.segmentLines(users.file())) {
			for (String line = lines.next(); line != null; line = lines.next()) {
				clear.append(line);
			}
		}
		assertThat(clear).contains(SECRETS);
		assertThat(new String(readable.readBytes(BackupDirectory.REGISTRY).orElseThrow(), StandardCharsets.UTF_8))
			.contains("{");
		for (Path file : stored) {
			byte[] bytes = Files.readAllBytes(file);
			for (byte[] content : List.of(bytes, decompressed(bytes))) {
				String text = new String(content, StandardCharsets.ISO_8859_1);
				for (String secret : SECRETS) {
					assertThat(text).as(file + " holds " + secret).doesNotContain(secret);
				}
			}
		}
	}

	@Test
	void verifyChecksEveryCiphertextWithoutTheKeyAndEveryRecordWithIt() {
		CommandRun withoutKey = CommandRun.of(source.properties(storage), "verify", "--backup-id", FULL);
		assertThat(withoutKey.exitCode()).as(withoutKey.toString()).isZero();
		assertThat(withoutKey.out()).contains("files match their SHA-256", "were not decoded", "key k1",
				"kafka-dr.encryption.key-file");
		CommandRun withKey = CommandRun.of(properties(source, k1), "verify", "--backup-id", FULL);
		assertThat(withKey.exitCode()).as(withKey.toString()).isZero();
		assertThat(withKey.out()).contains("is intact", String.format("%,d records decoded",
				manifest(FULL).totals().records()));
	}

	@Test
	void aFlippedCiphertextBitIsFoundWithOrWithoutTheKey() throws IOException {
		Path copy = Files.createTempDirectory(storage.getParent(), "flipped");
		DirectoryCopy.copy(storage.resolve(FULL), copy.resolve(FULL));
		BackupDirectory backup = new BackupStorage(copy).backup(FULL);
		Manifest.Segment segment = usersSegment();
		Path file = LocalFiles.of(backup, segment.file());
		byte[] bytes = Files.readAllBytes(file);
		bytes[bytes.length - 40] ^= 0x10;
		Files.write(file, bytes);

		CommandRun checksums = CommandRun.of(source.properties(copy), "verify", "--backup-id", FULL);
		assertThat(checksums.exitCode()).as(checksums.toString()).isEqualTo(1);
		assertThat(checksums.out()).contains(segment.file() + ": SHA-256 is");

		// Whoever flipped it also fixed the manifest's checksum: the cipher's tag still finds it.
		Path manifest = LocalFiles.of(backup, BackupDirectory.MANIFEST);
		Files.writeString(manifest, Files.readString(manifest).replace(segment.sha256(), LocalFiles.sha256(file)));
		CommandRun decrypted = CommandRun.of(properties(source, k1, copy), "verify", "--backup-id", FULL);
		assertThat(decrypted.exitCode()).as(decrypted.toString()).isEqualTo(1);
		assertThat(decrypted.out()).contains(segment.file(), "does not authenticate", "damaged or was altered");
	}

	@Test
	void aRestoreWithoutTheKeyOrWithAnotherUnderItsIdWritesNothing() throws Exception {
		CommandRun withoutKey = CommandRun.of(target.properties(storage), "restore", "--backup-id", FULL);
		assertThat(withoutKey.exitCode()).as(withoutKey.toString()).isEqualTo(2);
		assertThat(withoutKey.err()).contains("encrypted with the key k1", "no key file was given",
				"kafka-dr.encryption.key-file", "nothing was written");

		Path replaced = keyFile("replaced.keys", "k1=" + EncryptionKeys.newKey());
		CommandRun wrongKey = CommandRun.of(properties(target, replaced), "restore", "--backup-id", FULL);
		assertThat(wrongKey.exitCode()).as(wrongKey.toString()).isEqualTo(2);
		assertThat(wrongKey.err()).contains("k1", "does not match");

		CommandRun rotatedAway = CommandRun.of(properties(target, keyFile("k2-only.keys", "k2=" + EncryptionKeys.newKey())),
				"restore", "--backup-id", ROTATED);
		assertThat(rotatedAway.exitCode()).as(rotatedAway.toString()).isEqualTo(2);
		assertThat(rotatedAway.err()).contains("encrypted with the key k1,", "does not hold (it holds k2)");

		try (Admin admin = Admin.create(Map.of("bootstrap.servers", target.bootstrapServers()))) {
			assertThat(admin.listTopics().names().get()).doesNotContain(CdcCorpus.USERS, CdcCorpus.ORDERS);
		}
	}

	@Test
	void afterARotationTheChainRestoresExactlyWithBothKeys() throws Exception {
		CommandRun restore = CommandRun.of(properties(target, rotatedKeys), "restore", "--backup-id", ROTATED);
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		assertThat(restore.out()).contains("Validation PASSED");
		RestoreAssertions.Schemas schemas = new RestoreAssertions.Schemas(source.registryClient(),
				target.registryClient());
		Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> restored = SourceRecords
			.read(target.bootstrapServers(), ManifestPartitions.of(manifest(FULL)));
		for (Manifest.Topic topic : manifest(FULL).topics()) {
			for (Manifest.Partition partition : topic.partitions()) {
				TopicPartition tp = new TopicPartition(topic.name(), partition.partition());
				RestoreAssertions.assertSameRecords(tp, sourceRecords.get(tp), restored.get(tp),
						"avro".equals(topic.kind()), schemas);
			}
		}
	}

	/** The first segment of the users topic's first partition: every line holds both secrets, or one. */
	private static Manifest.Segment usersSegment() {
		return manifest(FULL).topics()
			.stream()
			.filter(topic -> topic.name().equals(CdcCorpus.USERS))
			.findFirst()
			.orElseThrow()
			.partitions()
			.get(0)
			.segments()
			.get(0);
	}

	private static Manifest manifest(String backupId) {
		return new BackupStorage(storage).backup(backupId).manifest();
	}

	private static List<String> properties(Sandboxes sandboxes, Path keyFile) {
		return properties(sandboxes, keyFile, storage);
	}

	private static List<String> properties(Sandboxes sandboxes, Path keyFile, Path location, String... more) {
		List<String> properties = new ArrayList<>(sandboxes.properties(location, more));
		properties.add("--kafka-dr.encryption.key-file=" + keyFile);
		return properties;
	}

	private static Path keyFile(String name, String... lines) {
		return EncryptionKeys.write(keys.resolve(name), lines);
	}

	/** The bytes as zstd or gzip would read them, or none: what a reader without the key gets out of a segment. */
	private static byte[] decompressed(byte[] bytes) {
		for (int attempt = 0; attempt < 2; attempt++) {
			try (InputStream in = (attempt == 0) ? new ZstdInputStream(new ByteArrayInputStream(bytes))
					: new GZIPInputStream(new ByteArrayInputStream(bytes))) {
				return in.readAllBytes();
			}
			catch (IOException ex) {
				// not that compression: as expected of ciphertext
			}
		}
		return new byte[0];
	}

}
