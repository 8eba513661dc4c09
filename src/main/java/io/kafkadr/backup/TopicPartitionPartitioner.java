package io.kafkadr.backup;

import java.util.LinkedHashMap;
import java.util.Map;

import io.kafkadr.kafka.TopicSnapshot;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One partition of the step per topic-partition of the given kind, named {@code topic-partition}
 * (names must stay stable: a restarted step matches partitions by name). Each context holds
 * {@value #TOPIC}, {@value #PARTITION}, {@value #START} and {@value #END}: the offset range fixed
 * when the backup started; and for an Avro topic {@value #WIRE_FORMAT}, how its payloads frame
 * their schema ids.
 */
public class TopicPartitionPartitioner implements Partitioner {

	public static final String TOPIC = "topic";

	public static final String PARTITION = "partition";

	public static final String START = "start";

	public static final String END = "end";

	public static final String WIRE_FORMAT = "wireFormat";

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
				context.putString(TOPIC, topic.name());
				context.putInt(PARTITION, range.partition());
				context.putLong(START, range.start());
				context.putLong(END, range.end());
				if (topic.wireFormat() != null) {
					context.putString(WIRE_FORMAT, topic.wireFormat());
				}
				partitions.put(topic.name() + "-" + range.partition(), context);
			}
		}
		return partitions;
	}

}
