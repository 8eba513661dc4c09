package io.kafkadr.restore;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kafkadr.archive.Manifest;
import io.kafkadr.kafka.KafkaClients;
import io.kafkadr.kafka.PartitionOffsets;
import io.kafkadr.kafka.TopicSnapshot;
import org.apache.kafka.common.TopicPartition;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition of a restore step per backed-up topic-partition of the given kind, named
 * {@code topic-partition} after the backed-up topic. Each context holds {@value #SOURCE},
 * {@value #TARGET}, {@value #PARTITION} and {@value #TARGET_START}: the target partition's end offset
 * before the restore wrote anything to it. Spring Batch saves these contexts before any partition
 * runs and hands them back unchanged on restart, so records already restored are always counted as
 * the target's end offset now minus {@value #TARGET_START}.
 */
public class RestorePartitioner implements Partitioner {

	public static final String SOURCE = "source";

	public static final String TARGET = "target";

	public static final String PARTITION = "partition";

	public static final String TARGET_START = "target.start";

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
				context.putString(SOURCE, topic.source());
				context.putString(TARGET, topic.target());
				context.putInt(PARTITION, partition.partition());
				context.putLong(TARGET_START, ends.get(new TopicPartition(topic.target(), partition.partition())));
				partitions.put(topic.source() + "-" + partition.partition(), context);
			}
		}
		return partitions;
	}

}
