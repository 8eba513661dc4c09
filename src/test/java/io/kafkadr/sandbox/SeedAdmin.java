package io.kafkadr.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/** The admin operations of seeding, failing with a message that says which one failed. */
final class SeedAdmin implements AutoCloseable {

	private final Admin admin;

	SeedAdmin(String bootstrapServers) {
		this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
	}

	/** Creates the topics and returns once every partition accepts writes. */
	void createTopics(List<NewTopic> topics) {
		await(this.admin.createTopics(topics).all(), "create the pipeline's topics");
		// A new partition refuses writes until the broker has applied its metadata, and an idempotent
		// producer that writes too early can get stuck retrying out-of-order sequence numbers (seen with
		// the sandbox broker). Admin retries ListOffsets until the partition leader answers.
		endOffsets(topics.stream().collect(Collectors.toMap(NewTopic::name, NewTopic::numPartitions)));
	}

	/** The end offset of every partition of the topics, in topic and partition order. */
	Map<TopicPartition, Long> endOffsets(Map<String, Integer> partitionsPerTopic) {
		Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
		partitionsPerTopic.forEach((topic, partitions) -> {
			for (int partition = 0; partition < partitions; partition++) {
				request.put(new TopicPartition(topic, partition), OffsetSpec.latest());
			}
		});
		Map<TopicPartition, ListOffsetsResultInfo> ends = await(this.admin.listOffsets(request).all(),
				"read the end offsets of " + partitionsPerTopic.keySet());
		Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
		request.keySet().forEach((partition) -> offsets.put(partition, ends.get(partition).offset()));
		return offsets;
	}

	void commitOffsets(String group, Map<TopicPartition, OffsetAndMetadata> offsets) {
		await(this.admin.alterConsumerGroupOffsets(group, offsets).all(), "commit the offsets of " + group);
	}

	@Override
	public void close() {
		this.admin.close();
	}

	private static <T> T await(KafkaFuture<T> future, String what) {
		try {
			return future.get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Could not " + what + ": " + ex.getCause().getMessage(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while trying to " + what, ex);
		}
	}

}
