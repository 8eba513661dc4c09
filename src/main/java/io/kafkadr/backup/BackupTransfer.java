package io.kafkadr.backup;

import io.kafkadr.archive.EncodedBlock;
import io.kafkadr.execution.PartitionContext;
import io.kafkadr.kafka.RecordBlock;
import io.kafkadr.progress.PartitionTransfer;
import io.kafkadr.progress.TransferBoard;
import io.kafkadr.progress.TransferMeters;
import io.micrometer.core.instrument.Counter;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The progress of one backup partition, measured in offsets of the range [start, end) the backup
 * fixed: a partition is done when its reader's position reaches the end, and the records within
 * are at most as many as the offsets.
 */
class BackupTransfer extends PartitionTransfer<RecordBlock, EncodedBlock> {

	private final long start;

	private final long end;

	private final Counter undecodedCounter;

	// not private: the step scope's proxy subclasses it
	BackupTransfer(TransferBoard board, TransferMeters meters, String topic, int partition, long start, long end) {
		super(board, meters, "backup", topic, partition);
		this.start = start;
		this.end = end;
		this.undecodedCounter = meters.undecoded(topic);
	}

	/** For the partition that {@link TopicPartitionPartitioner} described in this context. */
	static BackupTransfer of(TransferBoard board, TransferMeters meters, ExecutionContext partition) {
		return new BackupTransfer(board, meters, partition.getString(PartitionContext.TOPIC),
				(int) PartitionContext.number(partition, PartitionContext.PARTITION),
				PartitionContext.number(partition, PartitionContext.START),
				PartitionContext.number(partition, PartitionContext.END));
	}

	/** The records kept undecoded, for {@code history show} and the metric. */
	@Override
	protected void counted(ExecutionContext context, Chunk<EncodedBlock> written) {
		long undecoded = 0;
		for (EncodedBlock block : written) {
			undecoded += block.undecodedRecords();
		}
		context.putLong(PartitionContext.UNDECODED, PartitionContext.count(context, PartitionContext.UNDECODED) + undecoded);
		this.undecodedCounter.increment(undecoded);
	}

	@Override
	protected long expected() {
		return this.end - this.start;
	}

	@Override
	protected boolean exact() {
		return false;
	}

	@Override
	protected long advanced(ExecutionContext context, long records, Chunk<EncodedBlock> written) {
		if (written != null && !written.isEmpty()) {
			return written.getItems().get(written.size() - 1).lastOffset() + 1 - this.start;
		}
		return context.getLong(PartitionContext.POSITION, this.start) - this.start;
	}

	@Override
	protected long bytes(Chunk<RecordBlock> read, Chunk<EncodedBlock> written) {
		long bytes = 0;
		for (RecordBlock block : read) {
			bytes += block.bytes();
		}
		return bytes;
	}

	@Override
	protected long records(Chunk<EncodedBlock> written) {
		long records = 0;
		for (EncodedBlock block : written) {
			records += block.records();
		}
		return records;
	}

}
