package io.kafkadr.restore;

import java.time.Instant;
import java.util.List;

/**
 * What a restore will write, for {@code --dry-run} and for the log of a real run: topics with
 * their record counts, how many of those records are older than the topic's retention, the
 * registry and the consumer groups.
 */
public record RestorePreview(String backupId, String targetCluster, Instant until, String registryMode,
		String retention, List<Topic> topics, int subjects, int schemaVersions, int consumerGroups,
		List<String> warnings) {

	/** One topic of the plan. */
	public record Topic(String source, String target, String kind, int partitions, long records,
			long olderThanRetention, long retentionMs, boolean targetExists) {
	}

}
