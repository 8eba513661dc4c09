package io.kafkadr.restore;

import io.kafkadr.progress.PartitionTransfer;
import io.kafkadr.progress.TransferBoard;
import io.kafkadr.progress.TransferMeters;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The progress of one restore partition, measured in records: the backup's count for the partition,
 * exact unless a point-in-time limit ({@code --until}) leaves some out.
 */
class RestoreTransfer extends PartitionTransfer<RestoreBlock, RestoreBlock> {

	private final long archived;

	private final boolean everything;

	RestoreTransfer(TransferBoard board, TransferMeters meters, String target, int partition, long archived,
			boolean everything) {
		super(board, meters, "restore", target, partition);
		this.archived = archived;
		this.everything = everything;
	}

	@Override
	protected long expected() {
		return this.archived;
	}

	@Override
	protected boolean exact() {
		return this.everything;
	}

	@Override
	protected long advanced(ExecutionContext context, long records, Chunk<RestoreBlock> written) {
		return records;
	}

	@Override
	protected long bytes(Chunk<RestoreBlock> read, Chunk<RestoreBlock> written) {
		long bytes = 0;
		for (RestoreBlock block : written) {
			bytes += block.bytes();
		}
		return bytes;
	}

	@Override
	protected long records(Chunk<RestoreBlock> written) {
		long records = 0;
		for (RestoreBlock block : written) {
			records += block.records().size();
		}
		return records;
	}

}
