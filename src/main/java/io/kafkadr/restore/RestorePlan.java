package io.kafkadr.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.kafkadr.archive.ArchivedRecord;
import io.kafkadr.archive.BackupChain;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.TopicSnapshot;
import io.kafkadr.avro.WireFormat;
import io.kafkadr.execution.PartitionContext;

/**
 * The topics a restore writes: which backed-up topic goes to which target topic, with what
 * partitions and configs. It is a pure function of the backup and the options, so every step
 * derives the same plan without passing it around.
 */
public record RestorePlan(List<TopicRestore> topics, RestoreOptions options) {

	/**
	 * One topic: its backed-up partitions and what the target topic is created with.
	 * {@code registryTopic} marks the registry's {@code _schemas} topic in {@code topic} registry
	 * mode, which the {@code schemas} step writes instead of a topic step.
	 */
	public record TopicRestore(String source, String target, TopicSnapshot.Kind kind, int partitionCount,
			int replicationFactor, Map<String, String> configs, List<Manifest.Partition> partitions,
			boolean registryTopic, String wireFormat) {

		/** How the topic's Avro payloads without an id header frame it; Confluent's in backups older than format 2. */
		public WireFormat prefixFormat() {
			WireFormat format = (this.wireFormat != null) ? WireFormat.ofLabel(this.wireFormat) : null;
			return (format != null) ? format : WireFormat.CONFLUENT;
		}

		/** The backed-up partition with this number. */
		public Manifest.Partition partition(int partition) {
			return this.partitions.stream()
				.filter(p -> p.partition() == partition)
				.findFirst()
				.orElseThrow(() -> new IllegalArgumentException("The backup of " + this.source + " has no partition "
						+ partition));
		}

	}

	/** The plan for restoring this backup, with the backups it continues when it is incremental. */
	public static RestorePlan of(BackupDirectory backup, RestoreOptions options) {
		Manifest manifest = BackupChain.of(backup).manifest();
		TopicSnapshot snapshot = backup.read(BackupDirectory.TOPICS, TopicSnapshot.class);
		Pattern selection = (options.topics() != null) ? Pattern.compile(options.topics()) : null;
		List<TopicRestore> topics = new ArrayList<>();
		for (Manifest.Topic topic : manifest.topics()) {
			if (selection != null && !selection.matcher(topic.name()).matches()) {
				continue;
			}
			TopicSnapshot.Topic described = snapshot.topics()
				.stream()
				.filter(t -> t.name().equals(topic.name()))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException(topic.name() + " is in the manifest but not in topics.json"));
			// In topic registry mode the schemas step writes the registry's topic, before anything needs the registry.
			boolean registryTopic = options.registryMode() == RestoreOptions.RegistryMode.topic
					&& REGISTRY_TOPIC.equals(topic.name());
			topics.add(new TopicRestore(topic.name(), options.targetTopic(topic.name()), described.kind(),
					described.partitionCount(), described.replicationFactor(), described.configs(), topic.partitions(),
					registryTopic, described.wireFormat()));
		}
		return new RestorePlan(topics, options);
	}

	/** The topic a Confluent Schema Registry keeps its state in. */
	static final String REGISTRY_TOPIC = "_schemas";

	/**
	 * This plan without the partitions named ({@code topic-partition}, after the backed-up topic): what
	 * a restore with {@code --skip-damaged} writes once verification found them damaged. Their topics
	 * are still created, with every partition.
	 */
	public RestorePlan without(Set<String> partitions) {
		if (partitions.isEmpty()) {
			return this;
		}
		List<TopicRestore> kept = this.topics.stream()
			.map(topic -> new TopicRestore(topic.source(), topic.target(), topic.kind(), topic.partitionCount(),
					topic.replicationFactor(), topic.configs(),
					topic.partitions()
						.stream()
						.filter(p -> !partitions.contains(PartitionContext.partitionName(topic.source(), p.partition())))
						.toList(),
					topic.registryTopic(), topic.wireFormat()))
			.toList();
		return new RestorePlan(kept, this.options);
	}

	/** The topics a topic step of this kind writes. */
	public List<TopicRestore> ofKind(TopicSnapshot.Kind kind) {
		return this.topics.stream().filter(topic -> topic.kind() == kind && !topic.registryTopic()).toList();
	}

	/** The registry's topic when the schemas step writes it. */
	public Optional<TopicRestore> registryTopic() {
		return this.topics.stream().filter(TopicRestore::registryTopic).findFirst();
	}

	public TopicRestore topic(String source) {
		return this.topics.stream()
			.filter(topic -> topic.source().equals(source))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException(source + " is not restored"));
	}

	/** Whether a backed-up record is restored (the point-in-time limit). */
	public boolean restores(ArchivedRecord record) {
		return restores(record.timestamp());
	}

	/** Whether a record with this timestamp is restored. */
	public boolean restores(long timestamp) {
		return this.options.until() == null || timestamp <= this.options.until().toEpochMilli();
	}

	/** Whether every record of every selected partition is restored, so the manifest's digests apply as they are. */
	public boolean restoresEverything() {
		return this.options.until() == null;
	}

}
