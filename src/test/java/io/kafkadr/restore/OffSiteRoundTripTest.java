package io.kafkadr.restore;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.encryption.KeyRing;
import io.kafkadr.storage.S3Location;
import io.kafkadr.storage.S3ObjectStore;
import io.kafkadr.testing.BulkData;
import io.kafkadr.testing.ChildProcess;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.EncryptionKeys;
import io.kafkadr.testing.S3Sandbox;
import io.kafkadr.testing.SameBackup;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SourceAndTarget;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What #15 is done with: a backup into S3 (a real S3 API server, s3proxy), encrypted, killed with
 * SIGKILL twice and resumed, holds exactly what an uninterrupted backup holds, leaves no upload or
 * staged block behind, and its restore into a fresh cluster and registry, killed twice and run
 * again, gives every partition exactly the source's records. The job repository is a local
 * directory of its own, as it must be beside an object store.
 */
@Tag("integration")
class OffSiteRoundTripTest {

	private static final int PER_PARTITION = 10_000;

	private static final long RECORDS = 6L * PER_PARTITION;

	private static final String BUCKET = "kafka-dr-offsite";

	private static final String PREFIX = "cdc-pipeline";

	private static final String BACKUP = "offsite";

	private static final List<String> TOPICS = List.of("cdc.events", "connect-offsets");

	private static Sandboxes source;

	private static Sandboxes target;

	private static S3Sandbox s3;

	@TempDir
	static Path work;

	private static Path keyFile;

	@BeforeAll
	static void start() throws IOException {
		SourceAndTarget clusters = SourceAndTarget.start();
		source = clusters.source();
		target = clusters.target();
		BulkData.avro(source.bootstrapServers(), source.registryClient(), "cdc.events", 4, PER_PARTITION);
		BulkData.raw(source.bootstrapServers(), "connect-offsets", 2, PER_PARTITION);
		s3 = S3Sandbox.start();
		s3.createBucket(BUCKET);
		keyFile = EncryptionKeys.write(work.resolve("keys"), "offsite-1=" + EncryptionKeys.newKey());
		// The in-process runs and the checks below take their credentials from the SDK's default chain, as
		// kafka-dr does: its system properties here, the environment in the child processes.
		System.setProperty("aws.accessKeyId", s3.accessKeyId());
		System.setProperty("aws.secretAccessKey", s3.secretAccessKey());
	}

	@AfterAll
	static void stop() {
		System.clearProperty("aws.accessKeyId");
		System.clearProperty("aws.secretAccessKey");
		s3.close();
		source.close();
		target.close();
	}

	@Test
	void anEncryptedBackupToS3AndItsRestoreSurviveKillsAndEndIdenticalToTheSource() throws Exception {
		Path reference = work.resolve("reference");
		CommandRun uninterrupted = CommandRun.of(source.properties(reference, backupSettings()), "backup", "--backup-id",
				BACKUP);
		assertThat(uninterrupted.exitCode()).as(uninterrupted.toString()).isZero();

		List<String> backup = command(source, "backup", backupSettings());
		for (int objects : new int[] { 5, 60 }) {
			ChildProcess child = ChildProcess.start(backup, credentials());
			await("the backup writing " + objects + " objects to S3").atMost(Duration.ofMinutes(2))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> !child.isAlive() || objects(PREFIX + "/" + BACKUP + "/topics/").size() >= objects);
			if (objects == 5) {
				assertASecondBackupIsRefused(child);
			}
			child.pause();
			assertThat(child.isAlive()).as("the backup ended before the kill\n" + child.output()).isTrue();
			child.kill();
		}
		ChildProcess last = ChildProcess.start(backup, credentials());
		assertThat(last.waitFor(Duration.ofMinutes(3))).as(last.output()).isZero();

		try (BackupStorage offsite = offsite()) {
			BackupDirectory stored = offsite.backup(BACKUP);
			assertThat(stored.manifest().encryption().keyIds()).containsExactly("offsite-1");
			SameBackup.assertSameRecords(new BackupStorage(reference).backup(BACKUP), stored, RECORDS);
			// Exactly the objects an uninterrupted backup writes: what the manifest lists, the manifest, and the
			// job's bookkeeping of closed segments; nothing a killed run began is left.
			Manifest manifest = stored.manifest();
			Set<String> listed = new TreeSet<>();
			listed.add(BackupDirectory.MANIFEST);
			manifest.files().forEach(file -> listed.add(file.path()));
			manifest.topics().forEach(topic -> topic.partitions().forEach(partition -> partition.segments()
				.forEach(segment -> listed.add(segment.file()))));
			assertThat(objects(PREFIX + "/" + BACKUP + "/")).extracting(object -> stored.relative(
					object.key().substring(PREFIX.length() + 1)))
				.filteredOn(path -> !path.endsWith("/closed-segments.jsonl"))
				.containsExactlyInAnyOrderElementsOf(listed);
			assertThat(manifest.files()).extracting(Manifest.FileEntry::path)
				.containsExactlyInAnyOrderElementsOf(new BackupStorage(reference).backup(BACKUP).manifest().files()
					.stream().map(Manifest.FileEntry::path).toList());
		}
		assertThat(s3.client().listMultipartUploads(request -> request.bucket(BUCKET).prefix(PREFIX + "/")).uploads())
			.as("no multipart upload is left to bill")
			.isEmpty();
		CommandRun verify = CommandRun.of(properties(source), "verify", "--backup-id", BACKUP);
		assertThat(verify.exitCode()).as(verify.toString()).isZero();
		assertThat(verify.out()).contains("is intact", String.format("%,d records decoded", RECORDS));

		List<String> restore = command(target, "restore", "--kafka-dr.restore.chunk-size=200");
		try (Admin admin = RestoreAssertions.admin(target)) {
			for (long records : new long[] { RECORDS / 5, RECORDS / 2 }) {
				ChildProcess child = ChildProcess.start(restore, credentials());
				await("the restore past " + records + " records").atMost(Duration.ofMinutes(2))
					.pollInterval(Duration.ofMillis(20))
					.until(() -> !child.isAlive() || RestoreAssertions.recordsIn(admin, TOPICS) >= records);
				child.pause();
				assertThat(child.isAlive()).as("the restore ended before the kill\n" + child.output()).isTrue();
				child.kill();
			}
		}
		ChildProcess restored = ChildProcess.start(restore, credentials());
		assertThat(restored.waitFor(Duration.ofMinutes(3))).as(restored.output()).isZero();
		assertThat(restored.output()).contains("Validation PASSED");
		try (BackupStorage offsite = offsite()) {
			RestoreAssertions.assertTargetEqualsSource(source, target, offsite, BACKUP);
		}

		// The other commands, as on a local directory: list, history, and retention deleting a backup whole.
		CommandRun second = CommandRun.of(properties(source, backupSettings()), "backup", "--backup-id", "second",
				"--full");
		assertThat(second.exitCode()).as(second.toString()).isZero();
		CommandRun backups = CommandRun.of(properties(source), "backups");
		assertThat(backups.out()).containsPattern(BACKUP + "\\s+complete").containsPattern("second\\s+complete");
		assertThat(CommandRun.of(properties(source), "history").out()).contains("backup " + BACKUP, "backup second");
		CommandRun show = CommandRun.of(properties(source), "backups", "show", "second");
		assertThat(show.exitCode()).as(show.toString()).isZero();
		assertThat(show.out()).contains("cdc.events", "connect-offsets");
		CommandRun prune = CommandRun.of(properties(source), "prune", "--keep", "1");
		assertThat(prune.exitCode()).as(prune.toString()).isZero();
		assertThat(objects(PREFIX + "/" + BACKUP + "/")).as("the pruned backup's objects").isEmpty();
		assertThat(objects(PREFIX + "/second/manifest.json")).hasSize(1);
	}

	@Test
	void aMissingBucketOrAnUnreachableServerIsNamedBeforeAnythingIsWritten() throws IOException {
		List<String> missing = replaced(properties(source, backupSettings()), "--kafka-dr.storage.location=",
				"s3://no-such-bucket/" + PREFIX);
		CommandRun noBucket = CommandRun.of(missing, "backup", "--backup-id", "never");
		assertThat(noBucket.exitCode()).as(noBucket.toString()).isEqualTo(2);
		assertThat(noBucket.err()).contains("The S3 bucket no-such-bucket does not exist at " + s3.endpoint());

		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		List<String> down = replaced(properties(source, backupSettings()), "--kafka-dr.storage.s3.endpoint=",
				"http://127.0.0.1:" + closed);
		CommandRun unreachable = CommandRun.of(down, "backup", "--backup-id", "never");
		assertThat(unreachable.exitCode()).as("an outage, to retry: " + unreachable).isEqualTo(3);
		assertThat(unreachable.err()).contains("Cannot reach S3 at http://127.0.0.1:" + closed);
		assertThat(objects(PREFIX + "/never/")).isEmpty();
	}

	/**
	 * While the child runs, another backup into the same prefix, with a job repository of its own (as a
	 * pod on another node has), is refused by the lease and writes nothing.
	 */
	private static void assertASecondBackupIsRefused(ChildProcess child) {
		List<String> other = replaced(properties(source, backupSettings()), "--kafka-dr.job-repository.directory=",
				work.resolve("other-job-repository").toString());
		CommandRun second = CommandRun.of(other, "backup", "--backup-id", "other");
		assertThat(child.isAlive()).as("the backup ended during the check\n" + child.output()).isTrue();
		assertThat(second.exitCode()).as(second.toString()).isEqualTo(2);
		assertThat(second.err()).contains("Another kafka-dr backup holds the storage location s3://" + BUCKET + "/" + PREFIX);
		assertThat(objects(PREFIX + "/other/")).isEmpty();
	}

	private static List<String> replaced(List<String> properties, String setting, String value) {
		return properties.stream().map(property -> property.startsWith(setting) ? setting + value : property).toList();
	}

	private static String[] backupSettings() {
		return new String[] { "--kafka-dr.topics.avro=cdc\\..*", "--kafka-dr.topics.raw=connect-offsets",
				"--kafka-dr.backup.chunk-size=250", "--kafka-dr.backup.segment-size=1MB" };
	}

	/** The location's settings: the bucket, its server, the key file, and a job repository on local disk. */
	private static List<String> properties(Sandboxes sandboxes, String... more) {
		List<String> settings = new ArrayList<>(List.of(more));
		settings.addAll(List.of("--kafka-dr.storage.location=s3://" + BUCKET + "/" + PREFIX,
				"--kafka-dr.storage.s3.endpoint=" + s3.endpoint(), "--kafka-dr.storage.s3.region=us-east-1",
				"--kafka-dr.storage.s3.path-style-access=true", "--kafka-dr.storage.s3.lock-lease=5s",
				"--kafka-dr.encryption.key-file=" + keyFile,
				"--kafka-dr.job-repository.directory="
						+ work.resolve((sandboxes == source) ? "source-job-repository" : "target-job-repository")));
		return sandboxes.properties(work, settings.toArray(String[]::new));
	}

	private static List<String> command(Sandboxes sandboxes, String command, String... more) {
		List<String> args = new ArrayList<>(List.of(command, "--backup-id", BACKUP));
		args.addAll(properties(sandboxes, more));
		return args;
	}

	/** The credentials a child process finds in its environment, where the SDK's default chain looks. */
	private static Map<String, String> credentials() {
		return Map.of("AWS_ACCESS_KEY_ID", s3.accessKeyId(), "AWS_SECRET_ACCESS_KEY", s3.secretAccessKey());
	}

	private static BackupStorage offsite() {
		return new BackupStorage(new S3ObjectStore(S3Location.parse("s3://" + BUCKET + "/" + PREFIX), s3.endpoint(),
				"us-east-1", true), KeyRing.load(keyFile));
	}

	private static List<S3Object> objects(String prefix) {
		return s3.client().listObjectsV2Paginator(request -> request.bucket(BUCKET).prefix(prefix)).contents().stream()
			.toList();
	}

}
