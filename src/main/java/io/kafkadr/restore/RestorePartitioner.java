package io.kafkadr.restore;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kafkadr.archive.Manifest;
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
		List<TopicPartition> targets = this.topics.stream()
			.flatMap(topic -> topic.partitions().stream().map(p -> new TopicPartition(topic.target(), p.partition())))
			.toList();
		Map<TopicPartition, Long> ends = new PartitionOffsets(this.kafka.admin()).ends(targets);
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		for (RestorePlan.TopicRestore topic : this.topics) {
			for (Manifest.Partition partition : topic.partitions()) {
				ExecutionContext context = new ExecutionContext();
				context.putString(PartitionContext.SOURCE, topic.source());
				context.putString(PartitionContext.TARGET, topic.target());
				context.putInt(PartitionContext.PARTITION, partition.partition());
				context.putLong(PartitionContext.TARGET_START, ends.get(new TopicPartition(topic.target(), partition.partition())));
				partitions.put(topic.source() + "-" + partition.partition(), context);
			}
		}
		return partitions;
	}

}
