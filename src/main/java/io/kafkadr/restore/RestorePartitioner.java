package io.kafkadr.restore;

import java.util.List;
import java.util.Map;

import io.kafkadr.archive.TopicSnapshot;
import io.kafkadr.execution.PartitionContext;
import io.kafkadr.kafka.KafkaClients;
import io.kafkadr.kafka.PartitionOffsets;
import org.apache.kafka.common.TopicPartition;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition of a restore step per backed-up topic-partition of the given kind, named
 * {@code topic-partition} after the backed-up topic. Each context holds the source and target
 * topic, the partition and the target partition's end offset before the restore wrote anything to
 * it ({@link PartitionContext#TARGET_START}). Spring Batch saves these contexts before any partition
 * runs and hands them back unchanged on restart, so records already restored are always counted as
 * the target's end offset now minus that offset.
 */
public class RestorePartitioner implements Partitioner {

	private final KafkaClients kafka;

	private final List<RestorePlan.TopicRestore> topics;

	public RestorePartitioner(KafkaClients kafka, RestorePlan plan, TopicSnapshot.Kind kind) {
		this.kafka = kafka;
		this.topics = plan.ofKind(kind);
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		Map<String, ExecutionContext> partitions = new PlanPartitioner(this.topics).partition(gridSize);
		Map<TopicPartition, Long> ends = new PartitionOffsets(this.kafka.admin())
			.ends(partitions.values().stream().map(PlanPartitioner::target).toList());
		partitions.values()
			.forEach(context -> context.putLong(PartitionContext.TARGET_START, ends.get(PlanPartitioner.target(context))));
		return partitions;
	}

}
