package io.kafkadr.restore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kafkadr.archive.Manifest;
import io.kafkadr.execution.PartitionContext;
import org.apache.kafka.common.TopicPartition;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition per backed-up topic-partition of the given topics, named {@code topic-partition}
 * after the backed-up topic, with the source topic, the target topic and the partition number in
 * its context: how the {@code verification} step splits its work, and what the topic and
 * {@code readBack} steps add their offsets to.
 */
class PlanPartitioner implements Partitioner {

	private final List<RestorePlan.TopicRestore> topics;

	PlanPartitioner(List<RestorePlan.TopicRestore> topics) {
		this.topics = topics;
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		for (RestorePlan.TopicRestore topic : this.topics) {
			for (Manifest.Partition partition : topic.partitions()) {
				ExecutionContext context = new ExecutionContext();
				context.putString(PartitionContext.SOURCE, topic.source());
				context.putString(PartitionContext.TARGET, topic.target());
				context.putInt(PartitionContext.PARTITION, partition.partition());
				partitions.put(PartitionContext.partitionName(topic.source(), partition.partition()), context);
			}
		}
		return partitions;
	}

	/** The target topic-partition a context of this partitioner names. */
	static TopicPartition target(ExecutionContext context) {
		return new TopicPartition(context.getString(PartitionContext.TARGET),
				(int) PartitionContext.number(context, PartitionContext.PARTITION));
	}

}
