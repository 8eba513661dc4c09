package io.kafkadr.restore;

import io.kafkadr.archive.ArchivedRecord;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.ContentDigest;
import io.kafkadr.archive.DatumEncoder;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.RecordDigester;
import io.kafkadr.archive.RecordLineReader;
import io.kafkadr.archive.SchemaStore;
import io.kafkadr.archive.SegmentLines;
import io.kafkadr.archive.TopicSnapshot;
import io.kafkadr.execution.PartitionContext;
import io.kafkadr.kafka.RecordBlock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

import static io.kafkadr.execution.PartitionContext.count;

/**
 * One partition of the {@code readBack} step: digests the records the restore wrote to one
 * target partition, read back in blocks, as the backup digested them from the source
 * ({@link TargetDigester}). Before it reads, it fixes what the partition must hold: the manifest's
 * count and digest, or for a point-in-time restore those of the records until that time,
 * recomputed from the backup. Count, digest chain and position are saved with every block, so a
 * stop or a kill resumes the partition where it was; the {@code validation} step reads the
 * outcome from the partition's context ({@link #check}).
 */
class PartitionReadBack
		implements ItemStreamWriter<RecordBlock>, StepExecutionListener, ChunkListener<RecordBlock, RecordBlock> {

	private final BackupDirectory backup;

	private final RestorePlan plan;

	private final RestorePlan.TopicRestore topic;

	private final Manifest.Partition partition;

	private final SchemaIdMapping ids;

	private StepExecution step;

	private TargetDigester digester;

	private byte[] chain;

	private long records;

	PartitionReadBack(BackupDirectory backup, RestorePlan plan, String source, int partition, SchemaIdMapping ids) {
		this.backup = backup;
		this.plan = plan;
		this.topic = plan.topic(source);
		this.partition = this.topic.partition(partition);
		this.ids = ids;
	}

	/** Fixes the expected count and digest once; a restarted partition keeps those it saved. */
	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.step = stepExecution;
		ExecutionContext context = stepExecution.getExecutionContext();
		if (context.containsKey(PartitionContext.EXPECTED_DIGEST)) {
			return;
		}
		if (this.plan.restoresEverything()) {
			context.putLong(PartitionContext.EXPECTED_RECORDS, this.partition.records());
			context.putString(PartitionContext.EXPECTED_DIGEST, this.partition.contentDigest());
			return;
		}
		RecordLineReader lines = new RecordLineReader();
		RecordDigester recordDigester = new RecordDigester(new DatumEncoder(new SchemaStore(this.backup)));
		byte[] expected = ContentDigest.fromHex(null);
		long count = 0;
		for (Manifest.Segment segment : this.partition.segments()) {
			try (SegmentLines segmentLines = this.backup.segmentLines(segment.file())) {
				while (segmentLines.advance()) {
					ArchivedRecord record = lines.read(segmentLines.buffer(), segmentLines.offset(), segmentLines.length());
					if (this.plan.restores(record)) {
						expected = recordDigester.chain(expected, record);
						count++;
					}
				}
			}
		}
		context.putLong(PartitionContext.EXPECTED_RECORDS, count);
		context.putString(PartitionContext.EXPECTED_DIGEST, ContentDigest.hex(expected));
	}

	@Override
	public void open(ExecutionContext context) {
		this.records = count(context, PartitionContext.READ_BACK_RECORDS);
		this.chain = ContentDigest.fromHex(context.containsKey(PartitionContext.READ_BACK_DIGEST)
				? context.getString(PartitionContext.READ_BACK_DIGEST) : null);
		this.digester = new TargetDigester(this.topic.kind() == TopicSnapshot.Kind.avro, this.topic.prefixFormat(),
				this.ids, this.topic.partitionCount(), count(context, PartitionContext.KEYS_REWRITTEN),
				count(context, PartitionContext.KEYS_MOVED), context.containsKey(PartitionContext.READ_BACK_PROBLEM)
						? context.getString(PartitionContext.READ_BACK_PROBLEM) : null);
	}

	@Override
	public void write(Chunk<? extends RecordBlock> chunk) {
		for (RecordBlock block : chunk) {
			for (ConsumerRecord<byte[], byte[]> record : block.records()) {
				this.chain = this.digester.chain(this.chain, record);
				this.records++;
			}
		}
	}

	/**
	 * The framework counts items (blocks), adding them after this; history and the summary report
	 * records, so the difference is added here, inside the chunk's transaction.
	 */
	@Override
	public void afterChunk(Chunk<RecordBlock> chunk) {
		long records = 0;
		for (RecordBlock block : chunk) {
			records += block.records().size();
		}
		this.step.setReadCount(this.step.getReadCount() + records - chunk.size());
		this.step.setWriteCount(this.step.getWriteCount() + records - chunk.size());
	}

	@Override
	public void update(ExecutionContext context) {
		context.putLong(PartitionContext.READ_BACK_RECORDS, this.records);
		context.putString(PartitionContext.READ_BACK_DIGEST, ContentDigest.hex(this.chain));
		context.putLong(PartitionContext.KEYS_REWRITTEN, this.digester.keysRewritten());
		context.putLong(PartitionContext.KEYS_MOVED, this.digester.keysMoved());
		if (this.digester.problem() != null) {
			context.putString(PartitionContext.READ_BACK_PROBLEM, this.digester.problem());
		}
	}

	/** The outcome a finished partition saved: its count and digest against the backup's. */
	static ValidationReport.PartitionCheck check(RestorePlan.TopicRestore topic, int partition, ExecutionContext context) {
		long expectedRecords = PartitionContext.number(context, PartitionContext.EXPECTED_RECORDS);
		String expectedDigest = context.getString(PartitionContext.EXPECTED_DIGEST);
		long actual = count(context, PartitionContext.READ_BACK_RECORDS);
		String digest = ContentDigest.hex(ContentDigest.fromHex(context.containsKey(PartitionContext.READ_BACK_DIGEST)
				? context.getString(PartitionContext.READ_BACK_DIGEST) : null));
		boolean passed = actual == expectedRecords && digest.equals(expectedDigest);
		String problem = context.containsKey(PartitionContext.READ_BACK_PROBLEM)
				? context.getString(PartitionContext.READ_BACK_PROBLEM) : null;
		return new ValidationReport.PartitionCheck(topic.source(), topic.target(), partition, expectedRecords, actual,
				expectedDigest, (!passed && problem != null) ? digest + " (" + problem + ")" : digest, passed,
				count(context, PartitionContext.KEYS_REWRITTEN), count(context, PartitionContext.KEYS_MOVED));
	}

}
