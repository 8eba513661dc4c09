package io.kafkadr.archive;

import java.time.Instant;
import java.util.List;

/**
 * The manifest of a complete backup, written last: what the backup holds, record counts, offset
 * ranges, content digests and a SHA-256 for every file. {@code docs/backup-format.md} specifies it.
 */
public record Manifest(String format, int formatVersion, String backupId, String createdBy, Instant startedAt,
		Instant completedAt, Source source, Totals totals, List<Topic> topics, List<FileEntry> files) {

	/** The value of {@code format} in every manifest. */
	public static final String FORMAT = "kafka-dr-backup";

	/** The format version this build writes; readers refuse any other. */
	public static final int FORMAT_VERSION = 2;

	/** Where the backup was taken from. */
	public record Source(String bootstrapServers, String clusterId, String registryUrl) {
	}

	/** Sums over the whole backup. */
	public record Totals(int topics, int partitions, long records, long bytes, int schemas, int consumerGroups) {
	}

	/** One backed-up topic; {@code kind} is {@code avro} or {@code raw}. */
	public record Topic(String name, String kind, List<Partition> partitions) {
	}

	/**
	 * One partition: the offset range [startOffset, endOffset) that was read, the records found in
	 * it, the chained digest of their content (see the format spec), and how many of the records
	 * have a key or value kept undecoded (null in backups older than format 2).
	 */
	public record Partition(int partition, long startOffset, long endOffset, long records, Long firstOffset,
			Long lastOffset, String contentDigest, List<Segment> segments, Long undecodedRecords) {

		/** The undecoded records, 0 for a backup that did not count them. */
		public long undecoded() {
			return (this.undecodedRecords != null) ? this.undecodedRecords : 0;
		}

	}

	/** One segment file of a partition. */
	public record Segment(String file, long records, long firstOffset, long lastOffset, long bytes, String sha256) {
	}

	/** A metadata or schema file and its checksum. */
	public record FileEntry(String path, long bytes, String sha256) {
	}

}
