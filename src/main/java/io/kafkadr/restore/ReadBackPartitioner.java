package io.kafkadr.restore;

import java.util.Map;

import io.kafkadr.execution.PartitionContext;
import io.kafkadr.kafka.KafkaClients;
import io.kafkadr.kafka.PartitionOffsets;
import org.apache.kafka.common.TopicPartition;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition of the {@code readBack} step per restored topic-partition, named as the step that
 * wrote it. Each context holds the target partition's range the restore wrote: from its end offset
 * before the restore ({@link PartitionContext#TARGET_START}) to its end offset now
 * ({@link PartitionContext#TARGET_END}), which may also hold records others appended since.
 */
class ReadBackPartitioner implements Partitioner {

	private final KafkaClients kafka;

	private final RestorePlan plan;

	private final RestoredPartitions restored;

	ReadBackPartitioner(KafkaClients kafka, RestorePlan plan, RestoredPartitions restored) {
		this.kafka = kafka;
		this.plan = plan;
		this.restored = restored;
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		Map<String, ExecutionContext> partitions = new PlanPartitioner(this.plan.topics()).partition(gridSize);
		Map<TopicPartition, Long> ends = new PartitionOffsets(this.kafka.admin())
			.ends(partitions.values().stream().map(PlanPartitioner::target).toList());
		for (ExecutionContext context : partitions.values()) {
			TopicPartition target = PlanPartitioner.target(context);
			RestorePlan.TopicRestore topic = this.plan.topic(context.getString(PartitionContext.SOURCE));
			context.putLong(PartitionContext.TARGET_START, this.restored.targetStart(topic, target.partition()));
			context.putLong(PartitionContext.TARGET_END, ends.get(target));
		}
		return partitions;
	}

}
