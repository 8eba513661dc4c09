package io.kafkadr.restore;

import java.nio.file.Path;

import io.kafkadr.archive.BackupChain;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.testing.BulkData;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SourceAndTarget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full backup followed by 30 incremental ones, a few records appended before each (to some
 * partitions only, and before one of them to none): the newest restores every record of the
 * source exactly once and in order, and verifies, through all 31 links.
 */
@Tag("integration")
class LongChainRestoreTest {

	private static final int INCREMENTALS = 30;

	private static final String AVRO = "cdc.events";

	private static final String RAW = "connect-offsets";

	private static final int AVRO_PARTITIONS = 2;

	/** Records per partition in the full backup. */
	private static final int FULL = 100;

	/** Records per partition appended before each incremental (to the raw topic before every third only). */
	private static final int APPENDED = 3;

	/** The incremental before which nothing is appended: it holds no record at all. */
	private static final int EMPTY = 15;

	private static Sandboxes source;

	private static Sandboxes target;

	@TempDir
	static Path storage;

	private static long records;

	@BeforeAll
	static void backUpAChain() {
		SourceAndTarget clusters = SourceAndTarget.start();
		source = clusters.source();
		target = clusters.target();
		BulkData.avro(source.bootstrapServers(), source.registryClient(), AVRO, AVRO_PARTITIONS, FULL);
		BulkData.raw(source.bootstrapServers(), RAW, 1, FULL);
		long avro = (long) AVRO_PARTITIONS * FULL;
		long raw = FULL;
		backUp(0, "--full", "type: full");
		for (int link = 1; link <= INCREMENTALS; link++) {
			if (link != EMPTY) {
				BulkData.appendAvro(source.bootstrapServers(), source.registryClient(), AVRO, AVRO_PARTITIONS, APPENDED,
						avro);
				avro += (long) AVRO_PARTITIONS * APPENDED;
				if (link % 3 == 0) {
					BulkData.appendRaw(source.bootstrapServers(), RAW, 1, APPENDED, raw);
					raw += APPENDED;
				}
			}
			backUp(link, "--incremental", "type: incremental (continues " + id(link - 1) + ")");
		}
		records = avro + raw;
	}

	private static void backUp(int link, String type, String expected) {
		CommandRun backup = CommandRun.of(source.properties(storage, "--kafka-dr.topics.avro=cdc\\..*",
				"--kafka-dr.topics.raw=" + RAW), "backup", "--backup-id", id(link), type);
		assertThat(backup.exitCode()).as(backup.toString()).isZero();
		assertThat(backup.out()).contains(expected);
	}

	private static String id(int link) {
		return String.format("link-%02d", link);
	}

	@AfterAll
	static void stop() {
		source.close();
		target.close();
	}

	@Test
	void theNewestRestoresEveryRecordOfTheChainOnceAndVerifies() {
		BackupChain chain = BackupChain.of(new BackupStorage(storage).backup(id(INCREMENTALS)));
		assertThat(chain.links()).hasSize(INCREMENTALS + 1);
		Manifest empty = new BackupStorage(storage).backup(id(EMPTY)).manifest();
		assertThat(empty.totals().records()).as("the incremental with nothing new").isZero();
		assertThat(chain.manifest().totals().records()).isEqualTo(records);

		CommandRun verify = CommandRun.of(source.properties(storage), "verify", "--backup-id", id(INCREMENTALS));
		assertThat(verify.exitCode()).as(verify.toString()).isZero();
		assertThat(verify.out()).contains(String.format("%,d records decoded", records));

		CommandRun restore = CommandRun.of(target.properties(storage), "restore", "--backup-id", id(INCREMENTALS));
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		assertThat(restore.out()).contains("Validation PASSED");
		RestoreAssertions.assertTargetEqualsSource(source, target, storage, id(INCREMENTALS));
	}

}
