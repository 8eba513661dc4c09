package io.kafkadr.archive;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The topics of a backup as found when it started: partitions, replication, non-default configs
 * and, per partition, the offset range [start, end) the backup reads; the topic selection that
 * chose them; and for an incremental backup the backup it continues. Kept as {@code topics.json}.
 */
public record TopicSnapshot(Instant capturedAt, String clusterId, List<Topic> topics,
		@JsonInclude(JsonInclude.Include.NON_NULL) Selection selection,
		@JsonInclude(JsonInclude.Include.NON_NULL) Manifest.Base base) {

	public TopicSnapshot(Instant capturedAt, String clusterId, List<Topic> topics) {
		this(capturedAt, clusterId, topics, null, null);
	}

	/**
	 * The patterns that chose the topics: an incremental backup continues only a backup chosen by
	 * the same ones (null in backups of releases that did not record them).
	 */
	public record Selection(List<String> avro, List<String> raw, Map<String, List<String>> wireFormat) {
	}

	/** This snapshot with the selection that chose it and, for an incremental backup, its base. */
	public TopicSnapshot with(Selection selection, Manifest.Base base, List<Topic> topics) {
		return new TopicSnapshot(this.capturedAt, this.clusterId, topics, selection, base);
	}

	/** How a topic's records are kept: Avro decoded to JSON, or raw bytes. */
	public enum Kind {

		avro, raw

	}

	/**
	 * One topic. {@code configs} holds only settings made on the topic, not broker defaults.
	 * {@code wireFormat} is how an Avro topic's payloads without an id header frame their schema
	 * id (a {@code WireFormat} label; null for raw topics and in backups older than format 2, which
	 * knew only {@code confluent}). {@code topicId} is the cluster's id of the topic, which changes
	 * when a topic is deleted and created again under the same name (null in older backups).
	 */
	public record Topic(String name, Kind kind, int partitionCount, int replicationFactor, Map<String, String> configs,
			List<PartitionRange> partitions, @JsonInclude(JsonInclude.Include.NON_NULL) String wireFormat,
			@JsonInclude(JsonInclude.Include.NON_NULL) String topicId) {

		public Topic withWireFormat(String format) {
			return new Topic(this.name, this.kind, this.partitionCount, this.replicationFactor, this.configs,
					this.partitions, format, this.topicId);
		}

		public Topic withPartitions(List<PartitionRange> ranges) {
			return new Topic(this.name, this.kind, this.partitionCount, this.replicationFactor, this.configs, ranges,
					this.wireFormat, this.topicId);
		}

	}

	/**
	 * One partition's range: {@code start} is its log start offset and {@code end} its last stable
	 * offset (the end of committed data) when the backup started. In an incremental backup a
	 * partition that continues its base starts at the base's end (or, when retention deleted
	 * records since, at the log start) and names that {@code base}.
	 */
	public record PartitionRange(int partition, long start, long end,
			@JsonInclude(JsonInclude.Include.NON_NULL) Manifest.PartitionBase base) {

		public PartitionRange(int partition, long start, long end) {
			this(partition, start, end, null);
		}

		/** The offsets between the base's end and this range's start that the broker deleted; null without a base. */
		public Long gapOffsets() {
			return (this.base != null) ? this.start - this.base.endOffset() : null;
		}

	}

}
