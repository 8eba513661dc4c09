package io.kafkadr.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kafkadr.execution.Poll;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Creates topics and changes their configs, waiting until every partition has a leader. */
public final class TopicCreator {

	private final Admin admin;

	public TopicCreator(Admin admin) {
		this.admin = admin;
	}

	/** The topic's partition count, or 0 when it does not exist. */
	public Map<String, TopicDescription> describe(Collection<String> topics) {
		Set<String> existing = Set.copyOf(TopicInspector.get(this.admin.listTopics().names()));
		List<String> present = topics.stream().filter(existing::contains).toList();
		return present.isEmpty() ? Map.of() : TopicInspector.get(this.admin.describeTopics(present).allTopicNames());
	}

	/**
	 * Creates a topic, with the replication factor capped at the number of brokers (a smaller DR
	 * cluster cannot hold more replicas), and waits until all its partitions have leaders.
	 */
	public void create(String topic, int partitions, int replicationFactor, Map<String, String> configs) {
		int brokers = TopicInspector.get(this.admin.describeCluster().nodes()).size();
		short replicas = (short) Math.max(1, Math.min(replicationFactor, brokers));
		TopicInspector.get(this.admin.createTopics(List.of(new NewTopic(topic, partitions, replicas).configs(configs))).all());
		awaitLeaders(topic, partitions);
	}

	/** Sets (or, for a null value, removes) topic configs. */
	public void alterConfigs(String topic, Map<String, String> changes) {
		if (changes.isEmpty()) {
			return;
		}
		List<AlterConfigOp> operations = new ArrayList<>();
		changes.forEach((name, value) -> operations.add((value != null)
				? new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET)
				: new AlterConfigOp(new ConfigEntry(name, ""), AlterConfigOp.OpType.DELETE)));
		TopicInspector.get(this.admin
			.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), operations))
			.all());
	}

	private void awaitLeaders(String topic, int partitions) {
		try {
			Poll.every(Duration.ofMillis(100)).until(Duration.ofSeconds(60), () -> withLeaders(topic, partitions));
		}
		catch (Poll.NotYet ex) {
			throw new IllegalStateException(
					"The topic " + topic + " was created but its partitions got no leader within 60s");
		}
	}

	/** The topic, once it shows all its partitions, each with a leader. */
	private TopicDescription withLeaders(String topic, int partitions) throws Poll.NotYet {
		try {
			TopicDescription description = TopicInspector
				.get(this.admin.describeTopics(List.of(topic)).allTopicNames())
				.get(topic);
			if (description.partitions().size() == partitions
					&& description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
				return description;
			}
		}
		catch (UnknownTopicOrPartitionException ex) {
			// not visible yet
		}
		throw new Poll.NotYet("partitions of " + topic + " without a leader");
	}

}
