package io.kafkadr.backup;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.avro.ConfluentWireFormat;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.Sandboxes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backup whose unread records retention deleted can never complete: a plain {@code backup}, as the
 * CronJob runs it, marks it abandoned with the reason and takes a new backup, instead of resuming
 * it, and failing, for the whole resume window.
 */
@Tag("integration")
class AbandonedBackupTest {

	private static final String TOPIC = "gone.events";

	private static Sandboxes sandboxes;

	@TempDir
	static Path storage;

	@BeforeAll
	static void start() throws Exception {
		sandboxes = Sandboxes.start();
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", sandboxes.bootstrapServers()))) {
			admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
		}
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
				sandboxes.bootstrapServers(), "key.serializer", ByteArraySerializer.class, "value.serializer",
				ByteArraySerializer.class))) {
			for (int i = 0; i < 4; i++) {
				// a schema id no registry has: a strict backup fails on the first record
				producer.send(new ProducerRecord<>(TOPIC, 0, null, ConfluentWireFormat.encode(9999, new byte[] { 2, 'x' })))
					.get();
			}
		}
	}

	@AfterAll
	static void stop() {
		sandboxes.close();
	}

	@Test
	void aBackupThatCanNeverCompleteIsAbandonedAndANewOneTaken() throws Exception {
		List<String> properties = sandboxes.properties(storage, "--kafka-dr.topics.avro=gone\\..*");
		CommandRun failed = CommandRun.of(properties, "backup", "--strict");
		assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
		String first = backupId(failed);
		// retention deletes the records the failed backup had yet to read
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", sandboxes.bootstrapServers()))) {
			admin.deleteRecords(Map.of(new TopicPartition(TOPIC, 0), RecordsToDelete.beforeOffset(1))).all().get();
		}
		CommandRun resumed = CommandRun.of(properties, "backup", "--strict");
		assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(1);
		assertThat(backupId(resumed)).as("a plain backup resumes the interrupted one").isEqualTo(first);
		assertThat(resumed.out()).contains("were deleted by retention");

		CommandRun next = CommandRun.of(properties, "backup");
		assertThat(next.exitCode()).as(next.toString()).isZero();
		String second = backupId(next);
		assertThat(second).isNotEqualTo(first);
		Manifest manifest = new BackupStorage(storage).backup(second).manifest();
		assertThat(manifest.topics().get(0).partitions().get(0).startOffset()).isEqualTo(1);
		assertThat(manifest.totals().records()).isEqualTo(3);
		CommandRun history = CommandRun.of(properties, "history", "--job", "backup");
		assertThat(history.out()).containsPattern("backup " + first + "\\s.*ABANDONED");
		CommandRun again = CommandRun.of(properties, "backup");
		assertThat(backupId(again)).as("the abandoned backup is never resumed").isNotEqualTo(first);
	}

	private static String backupId(CommandRun run) {
		return run.out().lines().filter(line -> line.startsWith("backup-id: ")).findFirst().orElseThrow()
			.substring("backup-id: ".length());
	}

}
