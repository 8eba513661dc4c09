package io.kafkadr.testing;

import java.util.List;

import io.kafkadr.archive.Manifest;
import org.apache.kafka.common.TopicPartition;

/** A manifest's partitions by topic-partition, as the tests compare them with what a cluster holds. */
public final class ManifestPartitions {

	private ManifestPartitions() {
	}

	/** Every topic-partition the manifest holds, in its order. */
	public static List<TopicPartition> of(Manifest manifest) {
		return manifest.topics()
			.stream()
			.flatMap(topic -> topic.partitions().stream().map(p -> new TopicPartition(topic.name(), p.partition())))
			.toList();
	}

	/** The manifest's partition {@code tp}, or null when it holds none. */
	public static Manifest.Partition find(Manifest manifest, TopicPartition tp) {
		return manifest.topics()
			.stream()
			.filter(topic -> topic.name().equals(tp.topic()))
			.flatMap(topic -> topic.partitions().stream())
			.filter(partition -> partition.partition() == tp.partition())
			.findFirst()
			.orElse(null);
	}

}
