package io.kafkadr.restore;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the {@code validation} step found, written as JSON next to the backup
 * ({@code <backup id>/restores/<target cluster>/validation.json}, in the storage location or in
 * the job repository's directory: {@link RestoreState}) and summarised by the restore command.
 * {@code skippedPartitions} names the partitions a restore with {@code --skip-damaged} left out
 * ({@code topic-partition} to what is damaged); they are not checked.
 */
public record ValidationReport(String backupId, String targetCluster, Instant validatedAt, boolean passed,
		boolean schemaIdsKept, List<PartitionCheck> partitions, List<GroupOffsetCheck> consumerGroups,
		SchemaCheck schemas, ConnectCheck connect, List<String> problems, List<String> warnings,
		@JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> skippedPartitions) {

	/**
	 * Records and content digest of one restored partition against the backup, and (with new schema
	 * ids) how many Avro keys changed bytes and, of those, how many now hash to another partition.
	 */
	public record PartitionCheck(String source, String target, int partition, long expectedRecords, long actualRecords,
			String expectedDigest, String actualDigest, boolean passed, long keysRewritten, long keysMoved) {
	}

	/** A translated consumer-group offset against what the target has committed. */
	public record GroupOffsetCheck(String group, String target, int partition, long sourceOffset, long expectedOffset,
			Long actualOffset, boolean passed) {
	}

	/** Whether every writer schema resolves in the target registry under its target id. */
	public record SchemaCheck(int checked, List<String> unresolved) {
	}

	/** Kafka Connect's state, when {@code kafka-dr.connect.url} is set. */
	public record ConnectCheck(boolean checked, boolean healthy, String problem) {
	}

	/** The report's path below its backup's id. */
	public static String path(String targetCluster) {
		return "restores/" + targetCluster + "/validation.json";
	}

}
