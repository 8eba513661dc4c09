package io.kafkadr.backup;

import java.util.List;
import java.util.regex.Pattern;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.ConsumerGroupSnapshot;
import io.kafkadr.kafka.ConsumerGroupInspector;
import io.kafkadr.kafka.KafkaClients;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code consumerGroups} step: the committed offsets of the groups matching
 * {@code kafka-dr.consumer-groups}, taken after the records so that a restore can translate them.
 */
public class ConsumerGroupsTasklet implements Tasklet {

	private final KafkaClients kafka;

	private final List<Pattern> groups;

	private final BackupDirectory backup;

	public ConsumerGroupsTasklet(KafkaClients kafka, List<Pattern> groups, BackupDirectory backup) {
		this.kafka = kafka;
		this.groups = groups;
		this.backup = backup;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		ConsumerGroupSnapshot snapshot = new ConsumerGroupInspector(this.kafka.admin())
			.capture(group -> this.groups.stream().anyMatch(pattern -> pattern.matcher(group).matches()));
		this.backup.write(BackupDirectory.CONSUMER_GROUPS, snapshot);
		contribution.incrementWriteCount(snapshot.groups().size());
		return RepeatStatus.FINISHED;
	}

}
