package io.kafkadr.backup;

import java.util.LinkedHashMap;
import java.util.Map;

import io.kafkadr.archive.TopicSnapshot;
import io.kafkadr.execution.PartitionContext;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition of the step per topic-partition of the given kind, named {@code topic-partition}
 * (names must stay stable: a restarted step matches partitions by name). Each context holds
 * the topic, the partition and the offset range fixed when the backup started, for an incremental
 * backup the digest it continues and the gap before it, and for an Avro topic how its payloads
 * frame their schema ids ({@link PartitionContext}).
 */
public class TopicPartitionPartitioner implements Partitioner {

	private final TopicSnapshot snapshot;

	private final TopicSnapshot.Kind kind;

	public TopicPartitionPartitioner(TopicSnapshot snapshot, TopicSnapshot.Kind kind) {
		this.snapshot = snapshot;
		this.kind = kind;
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		for (TopicSnapshot.Topic topic : this.snapshot.topics()) {
			if (topic.kind() != this.kind) {
				continue;
			}
			for (TopicSnapshot.PartitionRange range : topic.partitions()) {
				ExecutionContext context = new ExecutionContext();
				context.putString(PartitionContext.TOPIC, topic.name());
				context.putInt(PartitionContext.PARTITION, range.partition());
				context.putLong(PartitionContext.START, range.start());
				context.putLong(PartitionContext.END, range.end());
				if (range.base() != null) {
					context.putString(PartitionContext.BASE_DIGEST, range.base().contentDigest());
					context.putLong(PartitionContext.GAP_OFFSETS, range.gapOffsets());
				}
				if (topic.wireFormat() != null) {
					context.putString(PartitionContext.WIRE_FORMAT, topic.wireFormat());
				}
				partitions.put(PartitionContext.partitionName(topic.name(), range.partition()), context);
			}
		}
		return partitions;
	}

}
