package io.kafkadr.restore;

import java.nio.file.Path;
import java.util.List;

import io.kafkadr.archive.ArchiveJson;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.avro.ConfluentWireFormat;
import io.kafkadr.testing.CdcCorpus;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SourceRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A target registry that already holds other schemas under the backup's ids: the restore refuses
 * before it writes anything, naming the ids; with {@code --allow-new-schema-ids} it restores with
 * new ids and reports, per keyed topic, the keys whose bytes changed and how many of them the
 * default partitioner now sends to another partition than their history, counted exactly.
 */
@Tag("integration")
class SchemaIdConflictTest {

	private static final String OTHER = """
			{"type":"record","name":"Other","namespace":"elsewhere","fields":[{"name":"x","type":"string"}]}""";

	@TempDir
	static Path storage;

	private static Sandboxes source;

	private static Sandboxes target;

	private static CommandRun refused;

	private static CommandRun accepted;

	@BeforeAll
	static void backUpAndRestoreIntoAnOccupiedRegistry() {
		source = Sandboxes.start();
		target = Sandboxes.start();
		new CdcCorpus(source.bootstrapServers(), source.registryClient()).seed();
		CommandRun backup = CommandRun.of(source.properties(storage, "--kafka-dr.topics.avro=postgres\\.public\\..*"),
				"backup", "--backup-id", "occupied");
		assertThat(backup.exitCode()).as(backup.toString()).isZero();
		// Another pipeline's schemas took the first ids of the target registry.
		for (int i = 0; i < 3; i++) {
			target.registryClient().register("other-" + i + "-value", "AVRO", OTHER.replace("\"x\"", "\"x" + i + "\""),
					List.of(), null, null);
		}
		refused = CommandRun.of(target.properties(storage), "restore", "--backup-id", "occupied");
		accepted = CommandRun.of(target.properties(storage), "restore", "--backup-id", "occupied",
				"--allow-new-schema-ids");
	}

	@AfterAll
	static void stop() {
		source.close();
		target.close();
	}

	@Test
	void refusesBeforeWritingAnythingAndNamesTheIds() throws Exception {
		assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
		assertThat(refused.err()).contains("cannot keep their ids", "already holds other schemas under ids of the backup",
				"global id 1 (", "in the target)", "Nothing was written", "--allow-new-schema-ids");
	}

	@Test
	void withNewIdsAcceptedCountsTheKeysThatNowHashElsewhere() throws Exception {
		assertThat(accepted.exitCode()).as(accepted.toString()).isZero();
		assertThat(accepted.out()).contains("Validation PASSED", "under new ids (--allow-new-schema-ids)");
		ValidationReport report = ArchiveJson.MAPPER.readValue(
				storage.resolve("occupied").resolve(ValidationReport.path(target.clusterId())).toFile(),
				ValidationReport.class);
		assertThat(report.schemaIdsKept()).isFalse();
		Manifest manifest = new BackupStorage(storage).backup("occupied").manifest();
		long totalMoved = 0;
		for (Manifest.Topic topic : manifest.topics()) {
			long rewritten = 0;
			long moved = 0;
			for (Manifest.Partition partition : topic.partitions()) {
				TopicPartition tp = new TopicPartition(topic.name(), partition.partition());
				List<ConsumerRecord<byte[], byte[]>> before = SourceRecords.read(source.bootstrapServers(), tp);
				List<ConsumerRecord<byte[], byte[]>> after = SourceRecords.read(target.bootstrapServers(), tp);
				for (int i = 0; i < before.size(); i++) {
					byte[] original = before.get(i).key();
					byte[] restored = after.get(i).key();
					if (original != null && ConfluentWireFormat.matches(original)
							&& ConfluentWireFormat.schemaId(original) != ConfluentWireFormat.schemaId(restored)) {
						rewritten++;
						if (partition(original, topic.partitions().size()) != partition(restored, topic.partitions().size())) {
							moved++;
						}
					}
				}
			}
			long reportedRewritten = report.partitions().stream()
				.filter(p -> p.source().equals(topic.name()))
				.mapToLong(ValidationReport.PartitionCheck::keysRewritten)
				.sum();
			long reportedMoved = report.partitions().stream()
				.filter(p -> p.source().equals(topic.name()))
				.mapToLong(ValidationReport.PartitionCheck::keysMoved)
				.sum();
			assertThat(reportedRewritten).as(topic.name() + " keys rewritten").isEqualTo(rewritten);
			assertThat(reportedMoved).as(topic.name() + " keys moved").isEqualTo(moved);
			if (moved > 0) {
				assertThat(accepted.out()).contains(topic.name() + " " + rewritten + " keys rewritten, " + moved
						+ " of them now hash to another partition");
			}
			totalMoved += moved;
		}
		assertThat(totalMoved).as("keys of the corpus that hash elsewhere with new ids").isPositive();
	}

	private static int partition(byte[] key, int partitions) {
		return Utils.toPositive(Utils.murmur2(key)) % partitions;
	}

}
