package io.kafkadr.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.TopicSnapshot;

/**
 * The ranges of an incremental backup: each partition its base holds continues from the base's
 * end offset (or from the log start, when retention deleted records since: a gap), with the
 * base's content digest to continue. A partition the base does not hold, of a topic that is new
 * or was deleted and created again (another topic id), or that now ends before the base's end, is
 * held whole.
 */
final class IncrementalRanges {

	private IncrementalRanges() {
	}

	static TopicSnapshot continuing(TopicSnapshot current, TopicSnapshot.Selection selection, BackupDirectory base) {
		Manifest manifest = base.manifest();
		Map<String, Manifest.Topic> baseTopics = manifest.topics()
			.stream()
			.collect(Collectors.toMap(Manifest.Topic::name, Function.identity()));
		Map<String, TopicSnapshot.Topic> baseSnapshot = base.read(BackupDirectory.TOPICS, TopicSnapshot.class)
			.topics()
			.stream()
			.collect(Collectors.toMap(TopicSnapshot.Topic::name, Function.identity()));
		List<TopicSnapshot.Topic> topics = new ArrayList<>();
		List<String> recreated = new ArrayList<>();
		for (TopicSnapshot.Topic topic : current.topics()) {
			Manifest.Topic before = baseTopics.get(topic.name());
			if (before == null || !before.kind().equals(topic.kind().name())) {
				topics.add(topic);
				continue;
			}
			Map<Integer, Manifest.Partition> partitions = before.partitions()
				.stream()
				.collect(Collectors.toMap(Manifest.Partition::partition, Function.identity()));
			String baseTopicId = baseSnapshot.containsKey(topic.name()) ? baseSnapshot.get(topic.name()).topicId() : null;
			// A partition that now ends before its base did cannot be its continuation either.
			boolean again = (baseTopicId != null && topic.topicId() != null && !baseTopicId.equals(topic.topicId()))
					|| topic.partitions()
						.stream()
						.anyMatch(range -> partitions.containsKey(range.partition())
								&& range.end() < partitions.get(range.partition()).endOffset());
			if (again) {
				recreated.add(topic.name());
				topics.add(topic);
				continue;
			}
			List<TopicSnapshot.PartitionRange> ranges = new ArrayList<>();
			for (TopicSnapshot.PartitionRange range : topic.partitions()) {
				Manifest.Partition partition = partitions.get(range.partition());
				ranges.add((partition == null) ? range
						: new TopicSnapshot.PartitionRange(range.partition(), Math.max(range.start(), partition.endOffset()),
								range.end(), new Manifest.PartitionBase(partition.endOffset(), partition.contentDigest())));
			}
			topics.add(topic.withPartitions(ranges));
		}
		List<String> removed = baseTopics.keySet()
			.stream()
			.filter(name -> current.topics().stream().noneMatch(t -> Objects.equals(t.name(), name)))
			.sorted()
			.toList();
		Manifest.Base link = new Manifest.Base(base.id(), base.sha256(BackupDirectory.MANIFEST), removed,
				recreated);
		return current.with(selection, link, topics);
	}

}
