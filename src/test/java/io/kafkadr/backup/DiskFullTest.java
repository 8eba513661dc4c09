package io.kafkadr.backup;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.kafkadr.archive.BackupStorage;
import io.kafkadr.sandbox.KafkaSandbox;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.RootCommand;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backup into a storage location whose disk fills up (a real 3 MB tmpfs, mounted by the test:
 * CI runs as root) stops with what happened and what to do, no stack trace; once the volume has
 * room, the same command resumes it and it completes with every record.
 */
@Tag("integration")
class DiskFullTest {

	private static final String TOPIC = "incompressible";

	private static final int RECORDS = 3000;

	@TempDir
	Path directory;

	@Test
	void aFullDiskStopsTheBackupWithTheWayOutAndTheSameCommandResumesIt() throws Exception {
		KafkaSandbox kafka = KafkaSandbox.shared();
		produceIncompressibleRecords(kafka.bootstrapServers());
		Path location = this.directory.resolve("small-volume");
		location.toFile().mkdirs();
		RootCommand.run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", location.toString());
		try {
			List<String> properties = List.of("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
					"--kafka-dr.storage.location=" + location, "--kafka-dr.topics.raw=" + TOPIC);
			CommandRun full = CommandRun.of(properties, "backup", "--backup-id", "big");
			assertThat(full.exitCode()).as(full.toString()).isEqualTo(1);
			assertThat(full.err()).contains("The backup stopped: the disk holding the storage location " + location
					+ " is full", "The backup big had written", "run the same command again").doesNotContain("\tat ");

			RootCommand.run("mount", "-o", "remount,size=64m", location.toString());
			CommandRun resumed = CommandRun.of(properties, "backup", "--backup-id", "big");
			assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
			assertThat(new BackupStorage(location).backup("big").manifest().totals().records()).isEqualTo(RECORDS);
		}
		finally {
			RootCommand.run("umount", "-l", location.toString());
		}
	}

	private static void produceIncompressibleRecords(String bootstrapServers) throws Exception {
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
			admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
		}
		Random random = new Random(42);
		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers,
				"key.serializer", ByteArraySerializer.class, "value.serializer", ByteArraySerializer.class))) {
			for (int i = 0; i < RECORDS; i++) {
				byte[] value = new byte[2000];
				random.nextBytes(value);
				producer.send(new ProducerRecord<>(TOPIC, 0, null, value));
			}
		}
	}

}
