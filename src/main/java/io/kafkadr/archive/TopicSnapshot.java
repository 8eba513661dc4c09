package io.kafkadr.archive;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The topics of a backup as found when it started: partitions, replication, non-default configs
 * and, per partition, the offset range [start, end) the backup reads. Kept as {@code topics.json}.
 */
public record TopicSnapshot(Instant capturedAt, String clusterId, List<Topic> topics) {

	/** How a topic's records are kept: Avro decoded to JSON, or raw bytes. */
	public enum Kind {

		avro, raw

	}

	/**
	 * One topic. {@code configs} holds only settings made on the topic, not broker defaults.
	 * {@code wireFormat} is how an Avro topic's payloads without an id header frame their schema
	 * id (a {@code WireFormat} label; null for raw topics and in backups older than format 2, which
	 * knew only {@code confluent}).
	 */
	public record Topic(String name, Kind kind, int partitionCount, int replicationFactor, Map<String, String> configs,
			List<PartitionRange> partitions, @JsonInclude(JsonInclude.Include.NON_NULL) String wireFormat) {

		public Topic withWireFormat(String format) {
			return new Topic(this.name, this.kind, this.partitionCount, this.replicationFactor, this.configs,
					this.partitions, format);
		}

	}

	/**
	 * One partition's range: {@code start} is its log start offset and {@code end} its last stable
	 * offset (the end of committed data) when the backup started.
	 */
	public record PartitionRange(int partition, long start, long end) {
	}

}
