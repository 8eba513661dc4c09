package io.kafkadr.restore;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedSet;

import io.kafkadr.archive.ArchivedRecord;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.RecordLineReader;
import io.kafkadr.archive.SegmentLines;

/**
 * Translates committed offsets from the source partition to the target partition. Offsets shift in
 * a restore: the target holds the restored records back to back from its start offset, while the
 * source had gaps (compaction, transaction markers, aborted records, retention) and, with a
 * point-in-time restore, records that were not restored.
 *
 * <pre>
 *   source offsets   5   6   9  10  14        (7, 8, 11-13: gaps)
 *                    |   |   |   |   |
 *   target offsets  s+0 s+1 s+2 s+3 s+4       (s: the target's end before the restore)
 *
 *   committed 9  -> s+2       the first restored record at or after 9
 *   committed 7  -> s+2       a gap translates to the record after it
 *   committed 15 -> s+5       past the last record: the target's end
 * </pre>
 *
 * A source offset X becomes {@code targetStart} plus the number of restored records with source
 * offset below X.
 */
public class OffsetTranslator {

	private final BackupDirectory backup;

	private final RestorePlan plan;

	private final RecordLineReader lines = new RecordLineReader();

	public OffsetTranslator(BackupDirectory backup, RestorePlan plan) {
		this.backup = backup;
		this.plan = plan;
	}

	/** The target offset of each source offset of one partition. */
	public Map<Long, Long> translate(Manifest.Partition partition, long targetStart, SortedSet<Long> sourceOffsets) {
		Map<Long, Long> translated = new HashMap<>();
		if (sourceOffsets.isEmpty()) {
			return translated;
		}
		long before = 0;
		var pending = sourceOffsets.iterator();
		long next = pending.next();
		for (Manifest.Segment segment : partition.segments()) {
			// Without a point-in-time limit every record is restored, so whole segments before the
			// offset need only their count.
			if (this.plan.restoresEverything() && segment.lastOffset() < next) {
				before += segment.records();
				continue;
			}
			try (SegmentLines segmentLines = this.backup.segmentLines(segment.file())) {
				while (segmentLines.advance()) {
					ArchivedRecord record = this.lines.read(segmentLines.buffer(), segmentLines.offset(), segmentLines.length());
					while (record.offset() >= next) {
						translated.put(next, targetStart + before);
						if (!pending.hasNext()) {
							return translated;
						}
						next = pending.next();
					}
					if (this.plan.restores(record)) {
						before++;
					}
				}
			}
		}
		// past the last restored record: the target's end
		long end = targetStart + before;
		translated.put(next, end);
		pending.forEachRemaining(offset -> translated.put(offset, end));
		return translated;
	}

}
