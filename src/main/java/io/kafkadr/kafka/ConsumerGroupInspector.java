package io.kafkadr.kafka;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.kafkadr.archive.ConsumerGroupSnapshot;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Reads consumer groups and their committed offsets from a cluster. */
public final class ConsumerGroupInspector {

	private final Admin admin;

	public ConsumerGroupInspector(Admin admin) {
		this.admin = admin;
	}

	/** The offsets a group has committed, by partition. */
	public Map<TopicPartition, OffsetAndMetadata> committed(String groupId) {
		return TopicInspector.get(this.admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
	}

	/** The committed offsets of every consumer group whose id the filter accepts, in group id order. */
	public ConsumerGroupSnapshot capture(Predicate<String> groupFilter) {
		List<String> groupIds = TopicInspector.get(this.admin.listGroups().all())
			.stream()
			.filter(listing -> listing.protocol().isEmpty() || "consumer".equals(listing.protocol()))
			.map(GroupListing::groupId)
			.filter(groupFilter)
			.sorted()
			.toList();
		Map<String, ConsumerGroupDescription> descriptions = groupIds.isEmpty() ? Map.of()
				: TopicInspector.get(this.admin.describeConsumerGroups(groupIds).all());
		List<ConsumerGroupSnapshot.Group> groups = new ArrayList<>();
		for (String groupId : groupIds) {
			Map<TopicPartition, OffsetAndMetadata> committed = TopicInspector
				.get(this.admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
			List<ConsumerGroupSnapshot.CommittedOffset> offsets = committed.entrySet()
				.stream()
				.filter(entry -> entry.getValue() != null)
				.sorted(Comparator.comparing((Map.Entry<TopicPartition, OffsetAndMetadata> e) -> e.getKey().topic())
					.thenComparingInt(e -> e.getKey().partition()))
				.map(e -> new ConsumerGroupSnapshot.CommittedOffset(e.getKey().topic(), e.getKey().partition(),
						e.getValue().offset(), e.getValue().metadata(), e.getValue().leaderEpoch().orElse(null)))
				.toList();
			ConsumerGroupDescription description = descriptions.get(groupId);
			String state = (description != null) ? description.groupState().toString() : "UNKNOWN";
			groups.add(new ConsumerGroupSnapshot.Group(groupId, state, offsets));
		}
		return new ConsumerGroupSnapshot(Instant.now(), groups);
	}

}
