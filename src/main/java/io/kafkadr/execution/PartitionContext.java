package io.kafkadr.execution;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * The names of the values a partition step keeps in its execution context: a persisted contract
 * (the job repository holds them across releases, and {@code history show --json} publishes them),
 * so they are named here once for the jobs that write them and the history that reads them.
 */
public final class PartitionContext {

	/** Backup: the topic of the partition. */
	public static final String TOPIC = "topic";

	/** Backup and restore: the partition number (restore: of the target topic, equal to the backed-up one). */
	public static final String PARTITION = "partition";

	/** Backup: the first offset of the range fixed when the backup started. */
	public static final String START = "start";

	/** Backup: the offset after the last record of that range. */
	public static final String END = "end";

	/** Backup, Avro topics: how payloads without an id header frame their schema id (a {@code WireFormat} label). */
	public static final String WIRE_FORMAT = "wireFormat";

	/** Backup: the offset after the last record committed; absent before the first commit. */
	public static final String POSITION = "reader.position";

	/** Restore: the backed-up topic. */
	public static final String SOURCE = "source";

	/** Restore: the topic restored into. */
	public static final String TARGET = "target";

	/** Restore: the target partition's end offset before the restore wrote to it. */
	public static final String TARGET_START = "target.start";

	private PartitionContext() {
	}

	/** A number as saved: a context serializer may hand back an int for a long. */
	public static long number(ExecutionContext context, String key) {
		return ((Number) context.get(key)).longValue();
	}

}
