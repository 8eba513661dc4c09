package io.kafkadr.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

import io.kafkadr.execution.PartitionContext;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads one topic-partition from a fixed start offset up to a fixed end offset, committed records
 * only, in blocks that each become one commit, keeping its position in the step's execution context.
 * A block ends at whichever limit comes first: {@link ChunkLimits#records()} records,
 * {@link ChunkLimits#bytes()} bytes (so that the heap a partition needs is bounded by bytes whatever
 * the record size), or {@link ChunkLimits#interval()} after it began (so that a slow partition still
 * commits, and a kill loses little work).
 *
 * <p>The partition is finished when the consumer's <em>position</em> reaches the end offset
 * captured when the backup started, never when a record with offset {@code end - 1} arrives:
 * compaction, aborted transactions and transaction markers leave offsets that no poll returns.
 * The position saved after each chunk is the offset after the last record handed out, so a restart
 * re-reads nothing that was written and skips nothing that was not.
 */
public class KafkaPartitionReader implements ItemStreamReader<RecordBlock> {

	private static final Duration POLL = Duration.ofMillis(500);

	private final TopicPartition partition;

	private final long start;

	private final long end;

	private final Function<String, Consumer<byte[], byte[]>> consumers;

	private final Duration stallTimeout;

	private final ChunkLimits limits;

	private Consumer<byte[], byte[]> consumer;

	private Iterator<ConsumerRecord<byte[], byte[]>> buffered = List.<ConsumerRecord<byte[], byte[]>>of().iterator();

	private long position;

	private boolean finished;

	public KafkaPartitionReader(TopicPartition partition, long start, long end,
			Function<String, Consumer<byte[], byte[]>> consumers, Duration stallTimeout, ChunkLimits limits) {
		this.partition = partition;
		this.start = start;
		this.end = end;
		this.consumers = consumers;
		this.stallTimeout = stallTimeout;
		this.limits = limits;
	}

	@Override
	public void open(ExecutionContext context) {
		this.position = context.getLong(PartitionContext.POSITION, this.start);
		this.finished = this.position >= this.end;
		if (!this.finished) {
			this.consumer = this.consumers.apply("kafka-dr-backup-" + this.partition);
			this.consumer.assign(List.of(this.partition));
			this.consumer.seek(this.partition, this.position);
		}
	}

	@Override
	public RecordBlock read() {
		List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
		long bytes = 0;
		long began = System.nanoTime();
		long lastProgress = began;
		while (records.size() < this.limits.records() && bytes < this.limits.bytes()) {
			if (this.buffered.hasNext()) {
				ConsumerRecord<byte[], byte[]> record = this.buffered.next();
				records.add(record);
				bytes += RecordSizes.of(record);
				this.position = record.offset() + 1;
				continue;
			}
			if (this.finished || (!records.isEmpty() && System.nanoTime() - began >= this.limits.interval().toNanos())) {
				break;
			}
			long before = this.consumer.position(this.partition);
			poll();
			long after = this.consumer.position(this.partition);
			// Everything buffered lies below the end, so once the position reaches it there is
			// nothing left to poll for.
			this.finished = after >= this.end;
			if (after != before) {
				lastProgress = System.nanoTime();
			}
			else if (System.nanoTime() - lastProgress > this.stallTimeout.toNanos()) {
				throw new ItemStreamException("No progress reading " + this.partition + " at offset " + after + " for "
						+ this.stallTimeout + " although the backup's end offset is " + this.end
						+ ". Is the partition leader available? The backup can be resumed with the same command.");
			}
		}
		return records.isEmpty() ? null : new RecordBlock(records, bytes);
	}

	private void poll() {
		try {
			List<ConsumerRecord<byte[], byte[]>> records = this.consumer.poll(POLL).records(this.partition);
			// Records appended after the backup started are not part of it.
			this.buffered = records.stream().filter(record -> record.offset() < this.end).iterator();
		}
		catch (OffsetOutOfRangeException ex) {
			throw new RangeDeletedException("The records of " + this.partition + " from offset " + this.position
					+ " were deleted by retention before the backup read them, so this backup can never complete; a"
					+ " plain `kafka-dr backup` marks it abandoned and starts a new one. Back up more often than the topic's"
					+ " retention.ms, or raise retention.ms.", ex);
		}
	}

	@Override
	public void update(ExecutionContext context) {
		context.putLong(PartitionContext.POSITION, this.position);
	}

	@Override
	public void close() {
		if (this.consumer != null) {
			this.consumer.close();
			this.consumer = null;
		}
	}

}
