package io.kafkadr.kafka;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

import io.kafkadr.archive.TopicSnapshot;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;

/** Reads topic metadata and offset bounds from a cluster. */
public final class TopicInspector {

	private final Admin admin;

	public TopicInspector(Admin admin) {
		this.admin = admin;
	}

	/** The names of all topics but Kafka's own internal ones ({@code __consumer_offsets}, ...). */
	public Collection<String> topicNames() {
		return get(this.admin.listTopics(new ListTopicsOptions().listInternal(false)).names());
	}

	/** The cluster id, which the manifest records as the source. */
	public String clusterId() {
		return get(this.admin.describeCluster().clusterId());
	}

	/**
	 * Captures the selected topics: partitions, replication factor, non-default configs, and each
	 * partition's log start offset and last stable offset (read_committed end).
	 */
	public TopicSnapshot capture(Map<String, TopicSnapshot.Kind> selected) {
		Map<String, TopicDescription> descriptions = get(this.admin.describeTopics(selected.keySet()).allTopicNames());
		Map<String, Map<String, String>> configs = configs(selected.keySet());
		List<TopicPartition> partitions = new ArrayList<>();
		descriptions.values()
			.forEach(d -> d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition()))));
		Map<TopicPartition, Long> starts = offsets(partitions, OffsetSpec.earliest());
		Map<TopicPartition, Long> ends = offsets(partitions, OffsetSpec.latest());
		List<TopicSnapshot.Topic> topics = new ArrayList<>();
		for (TopicDescription description : new TreeMap<>(descriptions).values()) {
			List<TopicSnapshot.PartitionRange> ranges = new ArrayList<>();
			description.partitions().forEach(p -> {
				TopicPartition tp = new TopicPartition(description.name(), p.partition());
				ranges.add(new TopicSnapshot.PartitionRange(p.partition(), starts.get(tp), ends.get(tp)));
			});
			int replication = description.partitions().isEmpty() ? 0 : description.partitions().get(0).replicas().size();
			topics.add(new TopicSnapshot.Topic(description.name(), selected.get(description.name()),
					description.partitions().size(), replication, configs.get(description.name()), ranges, null,
					description.topicId().toString()));
		}
		return new TopicSnapshot(Instant.now(), clusterId(), topics);
	}

	private Map<String, Map<String, String>> configs(Collection<String> topics) {
		List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
		Map<ConfigResource, Config> described = get(this.admin.describeConfigs(resources).all());
		Map<String, Map<String, String>> configs = new HashMap<>();
		described.forEach((resource, config) -> {
			Map<String, String> set = new TreeMap<>();
			config.entries()
				.stream()
				.filter(entry -> entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
				.forEach(entry -> set.put(entry.name(), entry.value()));
			configs.put(resource.name(), set);
		});
		return configs;
	}

	private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec) {
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		partitions.forEach(tp -> request.put(tp, spec));
		Map<TopicPartition, Long> offsets = new HashMap<>();
		get(this.admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all())
			.forEach((tp, info) -> offsets.put(tp, info.offset()));
		return offsets;
	}

	static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while talking to Kafka", ex);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			throw (cause instanceof RuntimeException runtime) ? runtime : new IllegalStateException(cause);
		}
	}

}
