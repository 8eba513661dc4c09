package io.kafkadr.backup;

import java.util.Map;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.SchemaStore;
import io.kafkadr.archive.TopicSnapshot;
import io.kafkadr.kafka.KafkaClients;
import io.kafkadr.kafka.TopicInspector;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code topics} step: selects the topics and captures their partitions, configs and offset
 * bounds once, in {@code topics.json}; for an incremental backup, each partition's range starts
 * where its base ended ({@link IncrementalRanges}), and the base's schemas are copied so that the
 * newest backup of a chain decodes every record of the chain. A restarted backup skips this
 * completed step, so it reads exactly the range the first run fixed. The partition steps read the
 * range from that file, not from the job's execution context: Spring Batch saves the job's context
 * only after it has recorded the step COMPLETED, and a backup killed in between would restart
 * without its range.
 */
public class TopicPlanTasklet implements Tasklet {

	private final KafkaClients kafka;

	private final TopicSelection selection;

	private final TopicSnapshot.Selection recordedSelection;

	private final BackupDirectory backup;

	private final BackupDirectory base;

	/** @param base the backup an incremental backup continues, null for a full backup */
	public TopicPlanTasklet(KafkaClients kafka, TopicSelection selection, TopicSnapshot.Selection recordedSelection,
			BackupDirectory backup, BackupDirectory base) {
		this.kafka = kafka;
		this.selection = selection;
		this.recordedSelection = recordedSelection;
		this.backup = backup;
		this.base = base;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		TopicSnapshot snapshot;
		try {
			TopicInspector inspector = new TopicInspector(this.kafka.admin());
			Map<String, TopicSnapshot.Kind> selected = this.selection.select(inspector.topicNames());
			if (selected.isEmpty()) {
				throw new BackupRefusedException("No topic on " + this.kafka.bootstrapServers() + " matches "
						+ this.selection.describe() + ". Check the patterns (they match whole topic names).");
			}
			snapshot = inspector.capture(selected);
			snapshot = new TopicSnapshot(snapshot.capturedAt(), snapshot.clusterId(), snapshot.topics()
				.stream()
				.map(topic -> (topic.kind() == TopicSnapshot.Kind.avro)
						? topic.withWireFormat(this.selection.wireFormat(topic.name()).label()) : topic)
				.toList());
		}
		catch (org.apache.kafka.common.KafkaException ex) {
			throw new IllegalStateException("Cannot read the topics of the Kafka cluster at " + this.kafka.bootstrapServers()
					+ ": " + ex.getMessage() + ". Run the same command again once the cluster answers; the backup resumes"
					+ " here.", ex);
		}
		if (this.base == null) {
			snapshot = snapshot.with(this.recordedSelection, null, snapshot.topics());
		}
		else {
			snapshot = IncrementalRanges.continuing(snapshot, this.recordedSelection, this.base);
			SchemaStore schemas = new SchemaStore(this.backup);
			SchemaStore baseSchemas = new SchemaStore(this.base);
			baseSchemas.fingerprints().forEach(fingerprint -> schemas.put(baseSchemas.get(fingerprint)));
		}
		this.backup.write(BackupDirectory.TOPICS, snapshot);
		contribution.incrementWriteCount(snapshot.topics().size());
		return RepeatStatus.FINISHED;
	}

}
