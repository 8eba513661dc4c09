package io.kafkadr.restore;

import java.util.concurrent.ExecutionException;
import java.util.List;
import java.util.Map;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.kafka.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code consumerGroups} step: commits each backed-up group's offsets in the target, translated
 * from source to target offsets. Committing the same offsets again is harmless, so a re-run is too.
 */
public class GroupOffsetsTasklet implements Tasklet {

	private final KafkaClients kafka;

	private final JobRepository jobRepository;

	private final BackupDirectory backup;

	private final RestorePlan plan;

	public GroupOffsetsTasklet(KafkaClients kafka, JobRepository jobRepository, BackupDirectory backup,
			RestorePlan plan) {
		this.kafka = kafka;
		this.jobRepository = jobRepository;
		this.backup = backup;
		this.plan = plan;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		RestoredPartitions restored = new RestoredPartitions(this.jobRepository,
				chunkContext.getStepContext().getStepExecution().getJobExecution());
		List<GroupOffsetPlan.Translation> translations = GroupOffsetPlan.of(this.backup, this.plan, restored);
		Admin admin = this.kafka.admin();
		for (Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>> group : GroupOffsetPlan.byGroup(translations)
			.entrySet()) {
			try {
				admin.alterConsumerGroupOffsets(group.getKey(), group.getValue()).all().get();
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("Cannot commit the offsets of consumer group " + group.getKey()
						+ " in the target cluster: " + ex.getCause().getMessage()
						+ ". A group can only be moved while none of its consumers runs: stop them, then run the"
						+ " same restore command again.", ex.getCause());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			contribution.incrementWriteCount(group.getValue().size());
		}
		return RepeatStatus.FINISHED;
	}

}
