package io.kafkadr.archive;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.kafkadr.storage.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a chain of backups is read as one, and how a link that does not fit is named. */
class BackupChainTest {

	@TempDir
	Path location;

	@Test
	void theChainReadsAsOneBackupWithTheNewestDigestsAndEveryLinksSegments() {
		write("full", null, partition(0, 100, 60, "d1", null));
		write("inc1", "full", partition(100, 150, 50, "d2", new Manifest.PartitionBase(100, "d1")));
		write("inc2", "inc1", partition(160, 170, 10, "d3", new Manifest.PartitionBase(150, "d2")));
		BackupChain chain = BackupChain.of(storage().backup("inc2"));
		assertThat(chain.links()).extracting(BackupDirectory::id).containsExactly("full", "inc1", "inc2");
		Manifest.Partition whole = chain.manifest().topics().getFirst().partitions().getFirst();
		assertThat(whole.startOffset()).isZero();
		assertThat(whole.endOffset()).isEqualTo(170);
		assertThat(whole.records()).isEqualTo(120);
		assertThat(whole.contentDigest()).isEqualTo("d3");
		assertThat(whole.gap()).isEqualTo(10);
		assertThat(whole.segments()).extracting(Manifest.Segment::file)
			.containsExactly("../full/topics/t/0/s.jsonl.zst", "../inc1/topics/t/0/s.jsonl.zst", "topics/t/0/s.jsonl.zst");
		assertThat(chain.manifest().totals().records()).isEqualTo(120);
		// the segments of a base resolve from the newest backup's directory
		assertThat(storage().backup("inc2").key(whole.segments().getFirst().file())).isEqualTo("full/topics/t/0/s.jsonl.zst");
	}

	@Test
	void aPartitionThatDoesNotStartWhereItsBaseEndedBreaksTheChain() {
		write("full", null, partition(0, 100, 60, "d1", null));
		write("inc1", "full", partition(90, 150, 50, "d2", new Manifest.PartitionBase(90, "d1")));
		assertThatThrownBy(() -> BackupChain.of(storage().backup("inc1"))).isInstanceOf(StorageException.class)
			.hasMessageContaining("partition t-0 of inc1 continues at offset 90")
			.hasMessageContaining("the chain before it ends at offset 100");
	}

	@Test
	void aBaseReplacedUnderItsIdBreaksTheChain() {
		write("full", null, partition(0, 100, 60, "d1", null));
		write("inc1", "full", partition(100, 150, 50, "d2", new Manifest.PartitionBase(100, "d1")));
		write("full", null, partition(0, 100, 60, "d1-other", null));
		assertThatThrownBy(() -> BackupChain.of(storage().backup("inc1"))).isInstanceOf(StorageException.class)
			.hasMessageContaining("continues full whose manifest had SHA-256")
			.hasMessageContaining("(replaced or damaged)");
	}

	private static Manifest.Partition partition(long start, long end, long records, String digest,
			Manifest.PartitionBase base) {
		Long gap = (base != null) ? start - base.endOffset() : null;
		return new Manifest.Partition(0, start, end, records, start, end - 1, digest,
				List.of(new Manifest.Segment("topics/t/0/s.jsonl.zst", records, start, end - 1, 10, "sha")), 0L, base, gap);
	}

	@Test
	void aManifestCannotNameFilesOutsideTheLocation() {
		BackupDirectory backup = storage().backup("inc1");
		assertThat(backup.key("topics/t/0/s.jsonl.zst")).isEqualTo("inc1/topics/t/0/s.jsonl.zst");
		for (String outside : List.of("../../etc/passwd", "topics/../../full/manifest.json", "../full/../../x",
				"./manifest.json", "../.hidden/x")) {
			assertThatThrownBy(() -> backup.key(outside)).as(outside).isInstanceOf(StorageException.class);
		}
	}

	private BackupStorage storage() {
		return new BackupStorage(this.location);
	}

	private void write(String id, String baseId, Manifest.Partition partition) {
		Manifest.Base base = (baseId != null) ? new Manifest.Base(baseId,
				storage().backup(baseId).sha256(BackupDirectory.MANIFEST), List.of(), List.of()) : null;
		Instant now = Instant.now();
		storage().backup(id)
			.write(BackupDirectory.MANIFEST, new Manifest(Manifest.FORMAT, Manifest.INCREMENTAL_FORMAT_VERSION, id, "test", now, now,
					base, null, new Manifest.Source("broker:9092", "cluster", null), new Manifest.Totals(1, 1, 0, 10, 0, 0),
					List.of(new Manifest.Topic("t", "raw", List.of(partition))), List.of()));
	}

}
