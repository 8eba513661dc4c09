package io.kafkadr.testing;

import java.util.ArrayList;
import java.util.List;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.SegmentLines;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asserts that a backup that was interrupted and resumed holds exactly what an uninterrupted
 * backup of the same data holds: the same records, digests and segment lines, partition by partition.
 */
public final class SameBackup {

	private SameBackup() {
	}

	/** Both backups hold {@code records} records, and every partition the same lines in the same order. */
	public static void assertSameRecords(BackupDirectory expected, BackupDirectory actual, long records) {
		Manifest want = expected.manifest();
		Manifest got = actual.manifest();
		assertThat(got.totals().records()).isEqualTo(want.totals().records()).isEqualTo(records);
		for (int t = 0; t < want.topics().size(); t++) {
			for (int p = 0; p < want.topics().get(t).partitions().size(); p++) {
				Manifest.Partition wanted = want.topics().get(t).partitions().get(p);
				Manifest.Partition found = got.topics().get(t).partitions().get(p);
				assertThat(found.records()).isEqualTo(wanted.records());
				assertThat(found.contentDigest()).isEqualTo(wanted.contentDigest());
				assertThat(lines(actual, found)).containsExactlyElementsOf(lines(expected, wanted));
			}
		}
	}

	/** The lines of a partition of a backup, segment after segment. */
	public static List<String> lines(BackupDirectory backup, Manifest.Partition partition) {
		List<String> lines = new ArrayList<>();
		for (Manifest.Segment segment : partition.segments()) {
			try (SegmentLines segmentLines = backup.segmentLines(segment.file())) {
				for (String line = segmentLines.next(); line != null; line = segmentLines.next()) {
					lines.add(line);
				}
			}
		}
		return lines;
	}

}
