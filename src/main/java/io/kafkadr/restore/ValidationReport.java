package io.kafkadr.restore;

import java.time.Instant;
import java.util.List;

/**
 * What the {@code validation} step found, written as JSON next to the backup
 * ({@code restores/<target cluster>/validation.json}) and summarised by the restore command.
 */
public record ValidationReport(String backupId, String targetCluster, Instant validatedAt, boolean passed,
		List<PartitionCheck> partitions, List<GroupOffsetCheck> consumerGroups, SchemaCheck schemas,
		ConnectCheck connect, List<String> problems) {

	/** Records and content digest of one restored partition against the backup. */
	public record PartitionCheck(String source, String target, int partition, long expectedRecords, long actualRecords,
			String expectedDigest, String actualDigest, boolean passed) {
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

	/** The report's location inside the backup directory. */
	public static String path(String targetCluster) {
		return "restores/" + targetCluster + "/validation.json";
	}

}
