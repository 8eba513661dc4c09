package io.kafkadr.backup;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.kafkadr.archive.SegmentCompression;
import io.kafkadr.archive.TopicSnapshot;
import io.kafkadr.kafka.ChunkLimits;
import io.kafkadr.partitioning.Parallelism;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What to back up and how: {@code kafka-dr.topics.avro}, {@code kafka-dr.topics.raw},
 * {@code kafka-dr.consumer-groups} and the tuning under {@code kafka-dr.backup.*}.
 */
@ConfigurationProperties("kafka-dr")
public record BackupProperties(@DefaultValue Topics topics, @DefaultValue(".*") List<String> consumerGroups,
		@DefaultValue Backup backup) {

	/**
	 * Regular expressions (matching whole topic names) choosing the topics and how to keep them.
	 * {@code wireFormat} maps a wire-format label ({@code apicurio-global-id}, {@code apicurio-content-id},
	 * {@code confluent}) to the Avro topics whose payloads carry their schema id in front in that way;
	 * the rest use {@code confluent}. Payloads with Apicurio's id headers are recognised by them.
	 */
	public record Topics(@DefaultValue List<String> avro, @DefaultValue List<String> raw,
			@DefaultValue Map<String, List<String>> wireFormat) {
	}

	/** The topic selection as a backup records it, to tell whether a later backup may continue it. */
	public TopicSnapshot.Selection selection() {
		return new TopicSnapshot.Selection(this.topics.avro(), this.topics.raw(), this.topics.wireFormat());
	}

	/**
	 * Tuning. A partition commits after {@code chunkSize} records, {@code chunkBytes} of keys, values
	 * and headers, or {@code chunkInterval}, whichever comes first; a segment file is closed after
	 * {@code segmentSize} of uncompressed lines; {@code parallelism} partitions are read at once (by
	 * default as many as the JVM has processors, container limits included, but no more than an
	 * eighth of the heap per {@code chunkBytes} allows);
	 * a partition that makes no progress for {@code stallTimeout} fails the backup; Kafka admin
	 * calls give up after {@code kafkaTimeout}; a backup started without an id resumes the newest
	 * incomplete backup younger than {@code resumeWindow} instead of starting a new one; new segments
	 * are compressed with {@code compression}; with {@code strict}, a key or value of an Avro topic
	 * that cannot be decoded fails the backup instead of being kept as bytes with the reason; a backup
	 * is full rather than incremental once the newest full backup is {@code fullEvery} old.
	 */
	public record Backup(@DefaultValue("50000") int chunkSize, @DefaultValue("4MB") DataSize chunkBytes,
			@DefaultValue("5s") Duration chunkInterval, @DefaultValue("128MB") DataSize segmentSize,
			Integer parallelism, @DefaultValue("2m") Duration stallTimeout,
			@DefaultValue("30s") Duration kafkaTimeout, @DefaultValue("20h") Duration resumeWindow,
			@DefaultValue("zstd") SegmentCompression compression, @DefaultValue("false") boolean strict,
			@DefaultValue("7d") Duration fullEvery) {

		public Backup {
			if (chunkSize < 1 || chunkBytes.toBytes() < 1 || chunkInterval.toMillis() < 1) {
				throw new IllegalArgumentException("kafka-dr.backup.chunk-size, kafka-dr.backup.chunk-bytes and"
						+ " kafka-dr.backup.chunk-interval must be positive; got " + chunkSize + ", " + chunkBytes + " and "
						+ chunkInterval);
			}
			if (parallelism == null) {
				parallelism = Parallelism.fromMachine(chunkBytes);
			}
			else if (parallelism < 1) {
				throw new IllegalArgumentException(
						"kafka-dr.backup.parallelism must be positive, or left unset to follow the processors and heap;"
								+ " got " + parallelism);
			}
		}

		/** When a partition commits. */
		ChunkLimits chunkLimits() {
			return new ChunkLimits(this.chunkSize, this.chunkBytes.toBytes(), this.chunkInterval);
		}

	}

}
