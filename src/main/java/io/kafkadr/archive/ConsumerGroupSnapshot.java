package io.kafkadr.archive;

import java.time.Instant;
import java.util.List;

/** The committed offsets of consumer groups, kept as {@code consumer-groups.json}. */
public record ConsumerGroupSnapshot(Instant capturedAt, List<Group> groups) {

	/** One group and its committed offsets, in topic and partition order. */
	public record Group(String groupId, String state, List<CommittedOffset> offsets) {
	}

	/** A committed offset: the next record the group would read. */
	public record CommittedOffset(String topic, int partition, long offset, String metadata, Integer leaderEpoch) {
	}

}
