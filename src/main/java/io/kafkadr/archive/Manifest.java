package io.kafkadr.archive;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The manifest of a complete backup, written last: what the backup holds, record counts, offset
 * ranges, content digests and a SHA-256 for every file, and for an incremental backup the backup
 * it continues ({@code base}). {@code docs/backup-format.md} specifies it.
 */
public record Manifest(String format, int formatVersion, String backupId, String createdBy, Instant startedAt,
		Instant completedAt, @JsonInclude(JsonInclude.Include.NON_NULL) Base base,
		@JsonInclude(JsonInclude.Include.NON_NULL) Encryption encryption, Source source, Totals totals,
		List<Topic> topics, List<FileEntry> files) {

	/** The value of {@code format} in every manifest. */
	public static final String FORMAT = "kafka-dr-backup";

	/** The newest format version this build reads and the version of the encrypted backups it writes. */
	public static final int FORMAT_VERSION = 4;

	/** The version of the incremental backups this build writes in the clear. */
	public static final int INCREMENTAL_FORMAT_VERSION = 3;

	/**
	 * The version of the full backups this build writes in the clear: a full backup is what version
	 * 2 specifies, so readers of version 2 keep reading it; only an incremental, which a version 2
	 * reader would take for a whole backup, needs version 3, and an encrypted backup, whose files
	 * a reader of 3 could not read, version 4.
	 */
	public static final int FULL_FORMAT_VERSION = 2;

	/** The oldest version that holds what a backup has, so that the most readers can read it. */
	public static int version(boolean incremental, boolean encrypted) {
		return encrypted ? FORMAT_VERSION : incremental ? INCREMENTAL_FORMAT_VERSION : FULL_FORMAT_VERSION;
	}

	/** Whether some of the backup's files are encrypted, so that reading them needs a key. */
	public boolean encrypted() {
		return this.encryption != null;
	}

	/** Whether this is an incremental backup, restored together with the backups it continues. */
	public boolean incremental() {
		return this.base != null;
	}

	/** {@code full} or {@code incremental}, as {@code backups} and {@code history} show it. */
	public String type() {
		return incremental() ? "incremental" : "full";
	}

	/**
	 * The backup an incremental backup continues: its id, the SHA-256 of its manifest (so a base
	 * replaced under the same id is noticed), the base's topics this backup no longer has, and its
	 * topics deleted and created again since (another topic id), which this backup holds whole.
	 */
	public record Base(String backupId, String manifestSha256,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> removedTopics,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> recreatedTopics) {

		public Base {
			removedTopics = (removedTopics != null) ? List.copyOf(removedTopics) : List.of();
			recreatedTopics = (recreatedTopics != null) ? List.copyOf(recreatedTopics) : List.of();
		}

	}

	/**
	 * How the backup's files that hold records or schemas are encrypted: the algorithm and the ids
	 * of the keys its files name (docs/encryption-format.md); the keys themselves are never stored.
	 */
	public record Encryption(String algorithm, List<String> keyIds) {

		/** The one algorithm this build writes. */
		public static final String ALGORITHM = "AES-256-GCM";

		public Encryption {
			keyIds = List.copyOf(keyIds);
		}

		/** The encryption of a backup whose files name these keys; null for one with no encrypted file. */
		public static Encryption of(Collection<String> keyIds) {
			return keyIds.isEmpty() ? null : new Encryption(ALGORITHM, List.copyOf(keyIds));
		}

	}

	/**
	 * Where a partition of an incremental backup continues its base: the base's end offset and the
	 * content digest of the chain up to it, which this partition's digest continues.
	 */
	public record PartitionBase(long endOffset, String contentDigest) {
	}

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
	 * have a key or value kept undecoded (null in backups older than format 2). In an incremental
	 * backup, {@code base} is where the partition continues its base (null when it is held whole:
	 * new since the base, or its topic re-created) and {@code gapOffsets} how many offsets between
	 * the base's end and {@code startOffset} the broker deleted before this backup could read them.
	 */
	public record Partition(int partition, long startOffset, long endOffset, long records, Long firstOffset,
			Long lastOffset, String contentDigest, List<Segment> segments, Long undecodedRecords,
			@JsonInclude(JsonInclude.Include.NON_NULL) PartitionBase base,
			@JsonInclude(JsonInclude.Include.NON_NULL) Long gapOffsets) {

		/** The undecoded records, 0 for a backup that did not count them. */
		public long undecoded() {
			return (this.undecodedRecords != null) ? this.undecodedRecords : 0;
		}

		/** The offsets lost to retention before this partition's range, 0 when none or in a full backup. */
		public long gap() {
			return (this.gapOffsets != null) ? this.gapOffsets : 0;
		}

	}

	/** One segment file of a partition. */
	public record Segment(String file, long records, long firstOffset, long lastOffset, long bytes, String sha256) {
	}

	/** A metadata or schema file and its checksum. */
	public record FileEntry(String path, long bytes, String sha256) {
	}

}
