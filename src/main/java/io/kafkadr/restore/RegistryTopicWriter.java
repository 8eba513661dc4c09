package io.kafkadr.restore;

import java.util.List;
import java.util.Map;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.DatumEncoder;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.SchemaStore;
import io.kafkadr.execution.PartitionContext;
import io.kafkadr.kafka.KafkaClients;
import io.kafkadr.kafka.PartitionOffsets;
import io.kafkadr.kafka.TopicConfigs;
import io.kafkadr.kafka.TopicCreator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Writes the backed-up {@code _schemas} topic byte for byte, for a Confluent Schema Registry that
 * reads its state (and so the original schema ids) from it. Like a topic step, it counts what is
 * already restored from the target partition: each partition's end offset before writing is saved
 * in the {@code schemas} step's context, and persisted, before the first record is sent.
 */
public class RegistryTopicWriter {

	private static final int CHUNK = 500;

	private static final long CHUNK_BYTES = 4L << 20;

	private final KafkaClients kafka;

	private final JobRepository jobRepository;

	private final BackupDirectory backup;

	private final RestorePlan plan;

	public RegistryTopicWriter(KafkaClients kafka, JobRepository jobRepository, BackupDirectory backup,
			RestorePlan plan) {
		this.kafka = kafka;
		this.jobRepository = jobRepository;
		this.backup = backup;
		this.plan = plan;
	}

	static String startKey(int partition) {
		return "registry-topic.start." + partition;
	}

	/** Restores the registry topic, if the plan has the schemas step write it. */
	public void restore(StepExecution step) {
		RestorePlan.TopicRestore topic = this.plan.registryTopic().orElse(null);
		if (topic == null) {
			return;
		}
		ExecutionContext context = step.getExecutionContext();
		Admin admin = this.kafka.admin();
		TopicCreator creator = new TopicCreator(admin);
		if (creator.describe(List.of(topic.target())).isEmpty()) {
			creator.create(topic.target(), topic.partitionCount(), topic.replicationFactor(),
					TopicConfigs.whileRestoring(topic.configs(), false));
		}
		PartitionOffsets offsets = new PartitionOffsets(admin);
		for (Manifest.Partition partition : topic.partitions()) {
			String key = startKey(partition.partition());
			if (!context.containsKey(key)) {
				context.putLong(key, offsets.end(new TopicPartition(topic.target(), partition.partition())));
			}
		}
		// Saved before the first record, every time: a restarted step execution starts from the
		// context of the one before, which Spring Batch would otherwise save only at the end.
		this.jobRepository.updateExecutionContext(step);
		// One producer for the topic's partitions, written one after the other on this thread.
		try (PartitionProducers producers = new PartitionProducers(this.kafka::restoreProducer)) {
			for (Manifest.Partition partition : topic.partitions()) {
				write(topic, partition, context, offsets, producers);
			}
		}
		creator.alterConfigs(topic.target(), TopicConfigs.afterRestoring(topic.configs(), false));
	}

	private void write(RestorePlan.TopicRestore topic, Manifest.Partition partition, ExecutionContext context,
			PartitionOffsets offsets, PartitionProducers producers) {
		TopicPartition target = new TopicPartition(topic.target(), partition.partition());
		ExecutionContext partitionContext = new ExecutionContext(
				Map.of(PartitionContext.TARGET_START, context.getLong(startKey(partition.partition())),
						PartitionContext.TARGET, topic.target()));
		ArchiveRecordReader reader = new ArchiveRecordReader(this.backup, partition, this.plan, () -> offsets.end(target),
				this.jobRepository, new RecordReencoder(topic.target(), new DatumEncoder(new SchemaStore(this.backup)),
						SchemaIdMapping.none()), CHUNK, CHUNK_BYTES);
		KafkaPartitionWriter writer = new KafkaPartitionWriter(producers, this.kafka.restoreDeliveryTimeout());
		reader.open(partitionContext);
		writer.open(partitionContext);
		try {
			for (RestoreBlock block = reader.read(); block != null; block = reader.read()) {
				writer.write(new Chunk<>(block));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		finally {
			reader.close();
			writer.close();
		}
	}

}
