package io.kafkadr.progress;

import io.kafkadr.execution.PartitionContext;
import io.micrometer.core.instrument.Counter;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Counts what one partition step moves, chunk by chunk, onto the {@link TransferBoard} and into
 * kafka-dr's metrics. Its topic and counts live in the step's execution context ({@value #TOPIC},
 * {@value #RECORDS}, {@value #BYTES}), updated after each chunk is written and saved with that chunk's commit, so a
 * restarted partition continues from the counts of its last commit. A step-scoped bean: one per
 * partition step execution.
 *
 * @param <I> what the step reads
 * @param <O> what the step writes
 */
public abstract class PartitionTransfer<I, O> implements ChunkListener<I, O>, StepExecutionListener {

	static final String TOPIC = "progress.topic";

	static final String RECORDS = "progress.records";

	static final String BYTES = "progress.bytes";

	private final TransferBoard board;

	private final TransferMeters meters;

	private final String operation;

	private final String topic;

	private final int partition;

	private Transfer transfer;

	private StepExecution stepExecution;

	private ExecutionContext context;

	private Chunk<I> input;

	private Counter recordsCounter;

	private Counter bytesCounter;

	protected PartitionTransfer(TransferBoard board, TransferMeters meters, String operation, String topic,
			int partition) {
		this.board = board;
		this.meters = meters;
		this.operation = operation;
		this.topic = topic;
		this.partition = partition;
	}

	/** The records a partition step had committed when its context was saved: 0 before its first chunk. */
	public static long recordsCommitted(ExecutionContext context) {
		return PartitionContext.count(context, RECORDS);
	}

	/** How far the partition must advance to be done, in the unit of {@link #advanced}. */
	protected abstract long expected();

	/** Whether {@link #expected} is exact rather than an upper bound. */
	protected abstract boolean exact();

	/**
	 * How far the partition got: from its saved context and the records it has moved, and after a
	 * chunk from the chunk just written ({@code written} is null when the step starts).
	 */
	protected abstract long advanced(ExecutionContext context, long records, Chunk<O> written);

	/** The Kafka bytes (keys, values, headers) of a chunk the step has just written. */
	protected abstract long bytes(Chunk<I> read, Chunk<O> written);

	/** The records in a chunk the step has just written: one per item, unless an item holds many. */
	protected long records(Chunk<O> written) {
		return written.size();
	}

	/**
	 * Counts what else a subclass keeps of a chunk just written, in the step's context (saved with
	 * the chunk's commit, like the counts here); nothing by default.
	 */
	protected void counted(ExecutionContext context, Chunk<O> written) {
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		this.stepExecution = stepExecution;
		this.context = stepExecution.getExecutionContext();
		this.context.putString(TOPIC, this.topic);
		long records = PartitionContext.count(this.context, RECORDS);
		this.transfer = this.board.start(this.operation, this.topic, this.partition, expected(), exact(), records,
				PartitionContext.count(this.context, BYTES), advanced(this.context, records, null));
		this.recordsCounter = this.meters.records(this.operation, this.topic);
		this.bytesCounter = this.meters.bytes(this.operation, this.topic);
	}

	@Override
	public void beforeChunk(Chunk<I> chunk) {
		this.input = chunk;
	}

	/** Runs inside the chunk's transaction, after its write and before its context is saved. */
	@Override
	public void afterChunk(Chunk<O> chunk) {
		long bytes = bytes(this.input, chunk);
		long moved = records(chunk);
		long records = this.transfer.records() + moved;
		this.context.putLong(RECORDS, records);
		this.context.putLong(BYTES, this.transfer.bytes() + bytes);
		this.transfer.add(moved, bytes, advanced(this.context, records, chunk));
		this.recordsCounter.increment(moved);
		this.bytesCounter.increment(bytes);
		counted(this.context, chunk);
		// The framework counts items, which the chunk's contribution adds after this; history and the summary
		// report records, so the difference is added here (every item read is written: nothing is filtered).
		long items = chunk.size();
		this.stepExecution.setReadCount(this.stepExecution.getReadCount() + moved - items);
		this.stepExecution.setWriteCount(this.stepExecution.getWriteCount() + moved - items);
		this.input = null;
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		this.transfer.finish(stepExecution.getStatus());
		return null;
	}

}
