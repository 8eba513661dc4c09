package io.kafkadr.backup;

import java.util.Map;

import io.kafkadr.archive.ArchiveJson;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.kafka.KafkaClients;
import io.kafkadr.kafka.TopicInspector;
import io.kafkadr.kafka.TopicSnapshot;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code topics} step: selects the topics, captures their partitions, configs and offset
 * bounds once, and keeps them in the job's execution context ({@value #SNAPSHOT}) and in
 * {@code topics.json}. A restarted backup skips this completed step, so it reads exactly the range
 * the first run fixed.
 */
public class TopicPlanTasklet implements Tasklet {

	/** The job execution context key holding the {@link TopicSnapshot} as JSON. */
	public static final String SNAPSHOT = "kafka-dr.topics";

	private final KafkaClients kafka;

	private final TopicSelection selection;

	private final BackupDirectory backup;

	public TopicPlanTasklet(KafkaClients kafka, TopicSelection selection, BackupDirectory backup) {
		this.kafka = kafka;
		this.selection = selection;
		this.backup = backup;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		TopicSnapshot snapshot;
		try (Admin admin = this.kafka.admin()) {
			TopicInspector inspector = new TopicInspector(admin);
			Map<String, TopicSnapshot.Kind> selected = this.selection.select(inspector.topicNames());
			if (selected.isEmpty()) {
				throw new BackupRefusedException("No topic on " + this.kafka.bootstrapServers() + " matches "
						+ this.selection.describe() + ". Check the patterns (they match whole topic names).");
			}
			snapshot = inspector.capture(selected);
		}
		catch (org.apache.kafka.common.KafkaException ex) {
			throw new IllegalStateException("Cannot read the topics of the Kafka cluster at " + this.kafka.bootstrapServers()
					+ ": " + ex.getMessage() + ". Run the same command again once the cluster answers; the backup resumes"
					+ " here.", ex);
		}
		this.backup.write(BackupDirectory.TOPICS, snapshot);
		ExecutionContext jobContext = chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
		jobContext.putString(SNAPSHOT, ArchiveJson.MAPPER.writeValueAsString(snapshot));
		contribution.incrementWriteCount(snapshot.topics().size());
		return RepeatStatus.FINISHED;
	}

	/** The snapshot a previous run of this step left in the job's execution context. */
	public static TopicSnapshot snapshot(String json) {
		return ArchiveJson.MAPPER.readValue(json, TopicSnapshot.class);
	}

}
