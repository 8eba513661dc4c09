package io.kafkadr.execution;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * How partition steps are named and the names of the values they keep in their execution contexts:
 * a persisted contract (the job repository holds them across releases, a restart matches partitions
 * by name, and {@code history show --json} publishes both), so they are named here once for the jobs
 * that write them and the history that reads them.
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

	/**
	 * Backup, incremental: for a partition that continues its base, the content digest of the chain
	 * before its range, which its own digest continues; absent otherwise.
	 */
	public static final String BASE_DIGEST = "base.digest";

	/** Backup, incremental: the offsets between the base's end and the range's start that retention deleted. */
	public static final String GAP_OFFSETS = "gapOffsets";

	/** Backup, Avro topics: the records committed with a key or value kept undecoded; absent before the first commit. */
	public static final String UNDECODED = "undecodedRecords";

	/** Backup: the offset after the last record committed; absent before the first commit. */
	public static final String POSITION = "reader.position";

	/** Restore: the backed-up topic. */
	public static final String SOURCE = "source";

	/** Restore: the topic restored into. */
	public static final String TARGET = "target";

	/** Restore: the target partition's end offset before the restore wrote to it. */
	public static final String TARGET_START = "target.start";

	/** Restore verification: how many of the partition's segments are checked. */
	public static final String VERIFIED_SEGMENTS = "verification.segments";

	/** Restore verification: of the records checked, those the restore writes (all, or those until its point in time). */
	public static final String VERIFIED_RECORDS = "verification.records";

	/** Restore verification: of those, the ones older than their topic's retention when checked. */
	public static final String VERIFIED_OLDER = "verification.older";

	/** Restore verification: of those, the ones that carry Apicurio global or content ids. */
	public static final String VERIFIED_APICURIO_IDS = "verification.apicurioIds";

	/**
	 * Restore verification with {@code --skip-damaged}: what is wrong with the partition's segments
	 * (file, line, problem), when they are damaged; the restore then leaves the partition out.
	 */
	public static final String DAMAGED = "verification.damaged";

	/** Restore read-back: the target partition's end offset when the read-back began. */
	public static final String TARGET_END = "target.end";

	/** Restore read-back: the records the backup holds for the partition (those the restore must have written). */
	public static final String EXPECTED_RECORDS = "readBack.expected.records";

	/** Restore read-back: their content digest. */
	public static final String EXPECTED_DIGEST = "readBack.expected.digest";

	/** Restore read-back: the records read back from the target so far. */
	public static final String READ_BACK_RECORDS = "readBack.records";

	/** Restore read-back: the content digest chain over them so far. */
	public static final String READ_BACK_DIGEST = "readBack.digest";

	/** Restore read-back, new schema ids: of the keys read back, those whose bytes changed with their schema's id. */
	public static final String KEYS_REWRITTEN = "readBack.keysRewritten";

	/** Restore read-back, new schema ids: of those, the keys that now hash to another partition. */
	public static final String KEYS_MOVED = "readBack.keysMoved";

	/** Restore read-back: the first record read back whose schema id names no schema of the backup. */
	public static final String READ_BACK_PROBLEM = "readBack.problem";

	private static final String WORKER_SUFFIX = "Partition";

	private PartitionContext() {
	}

	/**
	 * The worker step of a partitioned step: its partitions run as {@code <worker>:<partition name>},
	 * and a restarted job finds them by these names.
	 */
	public static String workerStepName(String partitionedStep) {
		return partitionedStep + WORKER_SUFFIX;
	}

	/** A partition's own name: {@code topic-partition}, after the backed-up topic. */
	public static String partitionName(String topic, int partition) {
		return topic + "-" + partition;
	}

	/** The step execution that runs one partition of a worker step: {@code <worker>:<topic>-<partition>}. */
	public static String partitionStepName(String workerStepName, String topic, int partition) {
		return workerStepName + ":" + partitionName(topic, partition);
	}

	/** Whether a step execution is a partition of a partitioned step. */
	public static boolean isPartition(String stepName) {
		return stepName.contains(":");
	}

	/** Whether a step execution is a partition of this partitioned step. */
	public static boolean isPartitionOf(String stepName, String partitionedStep) {
		return stepName.startsWith(workerStepName(partitionedStep) + ":");
	}

	/** The partitioned step a partition belongs to. */
	public static String partitionedStep(String partitionStepName) {
		String worker = partitionStepName.substring(0, partitionStepName.indexOf(':'));
		return worker.endsWith(WORKER_SUFFIX) ? worker.substring(0, worker.length() - WORKER_SUFFIX.length()) : worker;
	}

	/** The partition's own name, {@code topic-partition}. */
	public static String partitionName(String partitionStepName) {
		return partitionStepName.substring(partitionStepName.indexOf(':') + 1);
	}

	/** A number as saved: a context serializer may hand back an int for a long. */
	public static long number(ExecutionContext context, String key) {
		return ((Number) context.get(key)).longValue();
	}

	/** A number as saved, or 0 while the step has not saved it yet. */
	public static long count(ExecutionContext context, String key) {
		return context.containsKey(key) ? number(context, key) : 0;
	}

}
