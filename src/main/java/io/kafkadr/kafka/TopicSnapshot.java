package io.kafkadr.kafka;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The topics of a backup as found when it started: partitions, replication, non-default configs
 * and, per partition, the offset range [start, end) the backup reads. Kept as {@code topics.json}.
 */
public record TopicSnapshot(Instant capturedAt, String clusterId, List<Topic> topics) {

	/** How a topic's records are kept: Avro decoded to JSON, or raw bytes. */
	public enum Kind {

		avro, raw

	}

	/** One topic. {@code configs} holds only settings made on the topic, not broker defaults. */
	public record Topic(String name, Kind kind, int partitionCount, int replicationFactor, Map<String, String> configs,
			List<PartitionRange> partitions) {
	}

	/**
	 * One partition's range: {@code start} is its log start offset and {@code end} its last stable
	 * offset (the end of committed data) when the backup started.
	 */
	public record PartitionRange(int partition, long start, long end) {
	}

}
