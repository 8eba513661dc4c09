package io.kafkadr.restore;

import java.util.Iterator;
import java.util.function.LongSupplier;

import io.kafkadr.archive.ArchivedRecord;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.RecordLineReader;
import io.kafkadr.archive.SegmentLines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads the backed-up records of one partition that the restore writes (those the plan restores),
 * in offset order, starting after the ones already in the target.
 *
 * <p>How many are already there is read from the target partition itself, never from memory:
 * its end offset now minus its end offset before the restore wrote anything
 * ({@link RestorePartitioner#TARGET_START}). A restore killed between writing a chunk and committing
 * it therefore neither writes that chunk again nor skips any of it.
 */
public class ArchiveRecordReader implements ItemStreamReader<ArchivedRecord>, StepExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(ArchiveRecordReader.class);

	private final BackupDirectory backup;

	private final Manifest.Partition partition;

	private final RestorePlan plan;

	private final LongSupplier targetEnd;

	private final JobRepository jobRepository;

	private final RecordLineReader lines = new RecordLineReader();

	private Iterator<Manifest.Segment> segments;

	private SegmentLines current;

	public ArchiveRecordReader(BackupDirectory backup, Manifest.Partition partition, RestorePlan plan,
			LongSupplier targetEnd, JobRepository jobRepository) {
		this.backup = backup;
		this.partition = partition;
		this.plan = plan;
		this.targetEnd = targetEnd;
		this.jobRepository = jobRepository;
	}

	/**
	 * Spring Batch creates a partition's step execution and saves its context in two transactions; a
	 * restore killed between them restarts the partition without its target start. Nothing was written
	 * to it then, so the target's end now is its start, saved here before the first record is sent.
	 */
	@Override
	public void beforeStep(StepExecution stepExecution) {
		ExecutionContext context = stepExecution.getExecutionContext();
		if (!context.containsKey(RestorePartitioner.TARGET_START)) {
			context.putLong(RestorePartitioner.TARGET_START, this.targetEnd.getAsLong());
			this.jobRepository.updateExecutionContext(stepExecution);
		}
	}

	@Override
	public void open(ExecutionContext context) {
		this.segments = this.partition.segments().iterator();
		long restored = this.targetEnd.getAsLong() - context.getLong(RestorePartitioner.TARGET_START);
		if (restored > 0) {
			log.info("{} records of {}-{} are already restored; continuing after them", restored,
					context.getString(RestorePartitioner.TARGET), this.partition.partition());
		}
		for (long skipped = 0; skipped < restored; skipped++) {
			if (read() == null) {
				throw new IllegalStateException("The target partition " + context.getString(RestorePartitioner.TARGET)
						+ "-" + this.partition.partition() + " holds " + restored + " records more than it did before the"
						+ " restore, but the backup has fewer to restore: something else writes to it. Stop the writers"
						+ " and restore into a new topic (--rename).");
			}
		}
	}

	@Override
	public ArchivedRecord read() {
		while (true) {
			if (this.current == null) {
				if (!this.segments.hasNext()) {
					return null;
				}
				this.current = new SegmentLines(this.backup.resolve(this.segments.next().file()));
			}
			String line = this.current.next();
			if (line == null) {
				this.current.close();
				this.current = null;
				continue;
			}
			ArchivedRecord record = this.lines.read(line);
			if (this.plan.restores(record)) {
				return record;
			}
		}
	}

	@Override
	public void close() {
		if (this.current != null) {
			this.current.close();
			this.current = null;
		}
	}

}
