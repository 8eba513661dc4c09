package io.kafkadr.restore;

import java.util.List;
import java.util.Map;

import io.kafkadr.archive.TopicSnapshot;
import io.kafkadr.kafka.KafkaClients;
import io.kafkadr.kafka.TopicConfigs;
import io.kafkadr.kafka.TopicCreator;
import org.apache.kafka.clients.admin.TopicDescription;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Before a topic step splits into partitions: creates the target topics it writes that do not exist
 * yet, with the backed-up partition count and configs (held back as {@link TopicConfigs} says), and
 * refuses a target topic with fewer partitions than the backup.
 */
public class TopicPreparation implements StepExecutionListener {

	private final KafkaClients kafka;

	private final List<RestorePlan.TopicRestore> topics;

	private final boolean suspendRetention;

	public TopicPreparation(KafkaClients kafka, RestorePlan plan, TopicSnapshot.Kind kind) {
		this.kafka = kafka;
		this.topics = plan.ofKind(kind);
		this.suspendRetention = plan.options().retention() == RestoreOptions.Retention.suspend;
	}

	@Override
	public void beforeStep(StepExecution stepExecution) {
		TopicCreator creator = new TopicCreator(this.kafka.admin());
		Map<String, TopicDescription> existing = creator
			.describe(this.topics.stream().map(RestorePlan.TopicRestore::target).toList());
		for (RestorePlan.TopicRestore topic : this.topics) {
			TopicDescription found = existing.get(topic.target());
			if (found == null) {
				creator.create(topic.target(), topic.partitionCount(), topic.replicationFactor(),
						TopicConfigs.whileRestoring(topic.configs(), this.suspendRetention));
			}
			else if (found.partitions().size() < topic.partitionCount()) {
				throw new IllegalStateException("The target topic " + topic.target() + " has "
						+ found.partitions().size() + " partitions; the backup of " + topic.source() + " has "
						+ topic.partitionCount() + ". Delete the topic or restore it under another name (--rename).");
			}
		}
	}

}
