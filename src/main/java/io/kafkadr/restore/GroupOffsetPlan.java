package io.kafkadr.restore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.ConsumerGroupSnapshot;
import io.kafkadr.archive.Manifest;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The committed offsets each backed-up consumer group gets in the target: its offsets on restored
 * topics, translated by {@link OffsetTranslator}, under the target topic names. Offsets on topics
 * the restore does not write are left out.
 */
public final class GroupOffsetPlan {

	private GroupOffsetPlan() {
	}

	/** One translated offset, for the validation report. */
	public record Translation(String group, String sourceTopic, String targetTopic, int partition, long sourceOffset,
			long targetOffset, String metadata) {
	}

	public static List<Translation> of(BackupDirectory backup, RestorePlan plan, RestoredPartitions restored) {
		ConsumerGroupSnapshot groups = backup.read(BackupDirectory.CONSUMER_GROUPS, ConsumerGroupSnapshot.class);
		Map<String, RestorePlan.TopicRestore> topics = new HashMap<>();
		plan.topics().forEach(topic -> topics.put(topic.source(), topic));
		Map<TopicPartition, SortedSet<Long>> wanted = new LinkedHashMap<>();
		for (ConsumerGroupSnapshot.Group group : groups.groups()) {
			for (ConsumerGroupSnapshot.CommittedOffset offset : group.offsets()) {
				if (topics.containsKey(offset.topic())) {
					wanted.computeIfAbsent(new TopicPartition(offset.topic(), offset.partition()), tp -> new TreeSet<>())
						.add(offset.offset());
				}
			}
		}
		OffsetTranslator translator = new OffsetTranslator(backup, plan);
		Map<TopicPartition, Map<Long, Long>> translated = new HashMap<>();
		wanted.forEach((tp, offsets) -> {
			RestorePlan.TopicRestore topic = topics.get(tp.topic());
			Manifest.Partition partition = topic.partitions()
				.stream()
				.filter(p -> p.partition() == tp.partition())
				.findFirst()
				.orElseThrow(() -> new IllegalStateException(tp + " has a committed offset but is not in the backup"));
			translated.put(tp, translator.translate(partition, restored.targetStart(topic, tp.partition()), offsets));
		});
		List<Translation> translations = new ArrayList<>();
		for (ConsumerGroupSnapshot.Group group : groups.groups()) {
			for (ConsumerGroupSnapshot.CommittedOffset offset : group.offsets()) {
				RestorePlan.TopicRestore topic = topics.get(offset.topic());
				if (topic != null) {
					long target = translated.get(new TopicPartition(offset.topic(), offset.partition())).get(offset.offset());
					translations.add(new Translation(group.groupId(), offset.topic(), topic.target(), offset.partition(),
							offset.offset(), target, offset.metadata()));
				}
			}
		}
		return translations;
	}

	/** The translations as Kafka's admin API takes them, per group. */
	public static Map<String, Map<TopicPartition, OffsetAndMetadata>> byGroup(List<Translation> translations) {
		Map<String, Map<TopicPartition, OffsetAndMetadata>> byGroup = new LinkedHashMap<>();
		for (Translation t : translations) {
			byGroup.computeIfAbsent(t.group(), g -> new LinkedHashMap<>())
				.put(new TopicPartition(t.targetTopic(), t.partition()), new OffsetAndMetadata(t.targetOffset(), t.metadata()));
		}
		return byGroup;
	}

}
