package io.kafkadr.restore;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

import io.kafkadr.archive.ArchivedRecord;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.RecordLineReader;
import io.kafkadr.archive.SegmentLines;
import io.kafkadr.execution.PartitionContext;
import io.kafkadr.kafka.RecordSizes;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads the backed-up records of one partition that the restore writes (those the plan restores),
 * in offset order, starting after the ones already in the target, each decoded and re-encoded as the
 * record to produce, in blocks of at most {@code maxRecords} records or about {@code maxBytes} bytes,
 * each one commit. The restore checked the files' SHA-256 before writing anything; a line that
 * nonetheless cannot be decoded or re-encoded fails the read, naming its file and line, before the
 * chunk it belongs to is written.
 *
 * <p>How many are already there is read from the target partition itself, never from memory:
 * its end offset now minus its end offset before the restore wrote anything
 * ({@link RestorePartitioner#TARGET_START}). A restore killed between writing a chunk and committing
 * it therefore neither writes that chunk again nor skips any of it.
 */
public class ArchiveRecordReader implements ItemStreamReader<RestoreBlock>, StepExecutionListener {

	private static final Logger log = LoggerFactory.getLogger(ArchiveRecordReader.class);

	private final BackupDirectory backup;

	private final Manifest.Partition partition;

	private final RestorePlan plan;

	private final LongSupplier targetEnd;

	private final JobRepository jobRepository;

	private final RecordReencoder reencoder;

	private final int maxRecords;

	private final long maxBytes;

	private final RecordLineReader lines = new RecordLineReader();

	private Iterator<Manifest.Segment> segments;

	private Manifest.Segment segment;

	private SegmentLines current;

	public ArchiveRecordReader(BackupDirectory backup, Manifest.Partition partition, RestorePlan plan,
			LongSupplier targetEnd, JobRepository jobRepository, RecordReencoder reencoder, int maxRecords, long maxBytes) {
		this.backup = backup;
		this.partition = partition;
		this.plan = plan;
		this.targetEnd = targetEnd;
		this.jobRepository = jobRepository;
		this.reencoder = reencoder;
		this.maxRecords = maxRecords;
		this.maxBytes = maxBytes;
	}

	/**
	 * Spring Batch creates a partition's step execution and saves its context in two transactions; a
	 * restore killed between them restarts the partition without its target start. Nothing was written
	 * to it then, so the target's end now is its start, saved here before the first record is sent.
	 */
	@Override
	public void beforeStep(StepExecution stepExecution) {
		ExecutionContext context = stepExecution.getExecutionContext();
		if (!context.containsKey(PartitionContext.TARGET_START)) {
			context.putLong(PartitionContext.TARGET_START, this.targetEnd.getAsLong());
			this.jobRepository.updateExecutionContext(stepExecution);
		}
	}

	@Override
	public void open(ExecutionContext context) {
		this.segments = this.partition.segments().iterator();
		long restored = this.targetEnd.getAsLong() - context.getLong(PartitionContext.TARGET_START);
		if (restored > 0) {
			log.info("{} records of {}-{} are already restored; continuing after them", restored,
					context.getString(PartitionContext.TARGET), this.partition.partition());
		}
		for (long skipped = 0; skipped < restored; skipped++) {
			if (next() == null) {
				throw new IllegalStateException("The target partition " + context.getString(PartitionContext.TARGET)
						+ "-" + this.partition.partition() + " holds " + restored + " records more than it did before the"
						+ " restore, but the backup has fewer to restore: something else writes to it. Stop the writers"
						+ " and restore into a new topic (--rename).");
			}
		}
	}

	@Override
	public RestoreBlock read() {
		List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
		long bytes = 0;
		while (records.size() < this.maxRecords && bytes < this.maxBytes) {
			ArchivedRecord record = next();
			if (record == null) {
				break;
			}
			ProducerRecord<byte[], byte[]> produced;
			try {
				produced = this.reencoder.encode(record);
			}
			catch (RuntimeException ex) {
				throw undecodable(ex);
			}
			records.add(produced);
			bytes += RecordSizes.of(produced);
		}
		return records.isEmpty() ? null : new RestoreBlock(records, bytes);
	}

	/** The next record the plan restores, parsed but not re-encoded. */
	private ArchivedRecord next() {
		while (true) {
			if (this.current == null) {
				if (!this.segments.hasNext()) {
					return null;
				}
				this.segment = this.segments.next();
				this.current = this.backup.segmentLines(this.segment.file());
			}
			if (!this.current.advance()) {
				this.current.close();
				this.current = null;
				continue;
			}
			ArchivedRecord record;
			try {
				record = this.lines.read(this.current.buffer(), this.current.offset(), this.current.length());
			}
			catch (RuntimeException ex) {
				throw undecodable(ex);
			}
			if (this.plan.restores(record)) {
				return record;
			}
		}
	}

	private ItemStreamException undecodable(RuntimeException cause) {
		String reason = Objects.requireNonNullElse(cause.getMessage(), cause.toString());
		return new ItemStreamException("Line " + this.current.lineNumber() + " of " + this.segment.file()
				+ " cannot be restored: " + (reason.endsWith(".") ? reason : reason + ".")
				+ " Its chunk was not written; the records before it are in the target. `kafka-dr verify --backup-id " + this.backup.id() + "` checks every record of the"
				+ " backup; restore another backup, or leave this topic out with --topics.", cause);
	}

	@Override
	public void close() {
		if (this.current != null) {
			this.current.close();
			this.current = null;
		}
	}

}
