package io.kafkadr.backup;

import java.util.List;
import java.util.regex.Pattern;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.EncodedBlock;
import io.kafkadr.archive.TopicSnapshot;
import io.kafkadr.avro.WireFormat;
import io.kafkadr.execution.FailedStepExitStatus;
import io.kafkadr.execution.JobKeys;
import io.kafkadr.execution.PartitionContext;
import io.kafkadr.kafka.KafkaClients;
import io.kafkadr.kafka.KafkaPartitionReader;
import io.kafkadr.kafka.RecordBlock;
import io.kafkadr.partitioning.JobPartitions;
import io.kafkadr.partitioning.PartitioningProperties;
import io.kafkadr.partitioning.WorkRequests;
import io.kafkadr.partitioning.TopicDataFlow;
import io.kafkadr.progress.ProgressReporter;
import io.kafkadr.progress.TransferBoard;
import io.kafkadr.progress.TransferMeters;
import io.kafkadr.registry.RegistryClient;
import org.apache.kafka.common.TopicPartition;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The backup job: {@code schemas} → {@code topics} → {@code internalTopics} and {@code cdcTopics}
 * side by side → {@code consumerGroups} → {@code seal} → {@code prune} (which deletes nothing unless
 * {@code kafka-dr.backup.prune.*} is set). It is identified by its backup id, so starting it again
 * with the same id restarts it where it failed.
 */
@Configuration(proxyBeanMethods = false)
public class BackupJobConfiguration {

	/** The identifying job parameter: the backup id, which is also the backup's directory name. */
	public static final String BACKUP_ID = JobKeys.BACKUP_ID;

	/**
	 * The job parameter naming the backup an incremental backup continues; absent for a full backup.
	 * Not identifying: the backup id alone names the backup, and a restart keeps the base it began with.
	 */
	public static final String BASE_ID = JobKeys.BACKUP_BASE;

	public static final String JOB_NAME = JobKeys.BACKUP_JOB;

	private static final String BACKUP = "#{jobParameters['" + BACKUP_ID + "']}";

	@Bean
	public Job backupJob(JobRepository jobRepository, Step backupSchemasStep, Step backupTopicsStep,
			Step backupInternalTopicsStep, Step backupCdcTopicsStep, Step backupConsumerGroupsStep, Step sealStep,
			Step pruneStep, SchemaCatalogs schemaCatalogs, ProgressReporter progressReporter, BackupStorage storage) {
		return new JobBuilder(JOB_NAME, jobRepository).listener(schemaCatalogs)
			.listener(progressReporter)
			.listener(new ChainGaps(storage))
			.listener(new FailedStepExitStatus())
			.flow(backupSchemasStep)
			.next(backupTopicsStep)
			.next(TopicDataFlow.of(backupInternalTopicsStep, backupCdcTopicsStep))
			.next(backupConsumerGroupsStep)
			.next(sealStep)
			.next(pruneStep)
			.end()
			.build();
	}

	@Bean
	SchemaCatalogs schemaCatalogs(ObjectProvider<RegistryClient> registry) {
		return new SchemaCatalogs(registry.getIfAvailable());
	}

	@Bean
	public Step backupSchemasStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			RegistryExportTasklet registryExportTasklet) {
		return new StepBuilder("schemas", jobRepository).tasklet(registryExportTasklet, transactionManager).build();
	}

	@Bean
	@StepScope
	RegistryExportTasklet registryExportTasklet(ObjectProvider<RegistryClient> registry, SchemaCatalogs catalogs,
			BackupStorage storage, @Value(BACKUP) String backupId) {
		BackupDirectory backup = storage.backup(backupId);
		return new RegistryExportTasklet(registry.getIfAvailable(), catalogs.forBackup(backup), backup);
	}

	@Bean
	public Step backupTopicsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			TopicPlanTasklet topicPlanTasklet) {
		return new StepBuilder("topics", jobRepository).tasklet(topicPlanTasklet, transactionManager).build();
	}

	@Bean
	@StepScope
	TopicPlanTasklet topicPlanTasklet(KafkaClients kafka, BackupProperties properties, BackupStorage storage,
			@Value(BACKUP) String backupId, @Value("#{jobParameters['" + BASE_ID + "']}") String baseId) {
		return new TopicPlanTasklet(kafka, new TopicSelection(properties.topics()), properties.selection(),
				storage.backup(backupId), (baseId != null) ? storage.backup(baseId) : null);
	}

	@Bean
	public Step backupInternalTopicsStep(JobRepository jobRepository, Partitioner rawTopicPartitioner,
			Step rawPartitionStep, JobPartitions backupPartitions) {
		return backupPartitions
			.partitioned(TopicDataFlow.stepName(false), jobRepository, rawTopicPartitioner, rawPartitionStep)
			.build();
	}

	@Bean
	public Step backupCdcTopicsStep(JobRepository jobRepository, Partitioner avroTopicPartitioner,
			Step avroPartitionStep, JobPartitions backupPartitions) {
		return backupPartitions
			.partitioned(TopicDataFlow.stepName(true), jobRepository, avroTopicPartitioner, avroPartitionStep)
			.build();
	}

	/** The name of the worker step that backs up one partition of a topic of this kind. */
	static String workerStepName(TopicSnapshot.Kind kind) {
		return PartitionContext.workerStepName(TopicDataFlow.stepName(kind == TopicSnapshot.Kind.avro));
	}

	@Bean
	@StepScope
	Partitioner rawTopicPartitioner(BackupStorage storage, @Value(BACKUP) String backupId) {
		return new TopicPartitionPartitioner(topics(storage, backupId), TopicSnapshot.Kind.raw);
	}

	@Bean
	@StepScope
	Partitioner avroTopicPartitioner(BackupStorage storage, @Value(BACKUP) String backupId) {
		return new TopicPartitionPartitioner(topics(storage, backupId), TopicSnapshot.Kind.avro);
	}

	/** The topics and offset ranges the {@code topics} step fixed for this backup. */
	private static TopicSnapshot topics(BackupStorage storage, String backupId) {
		return storage.backup(backupId).read(BackupDirectory.TOPICS, TopicSnapshot.class);
	}

	@Bean
	Step rawPartitionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			KafkaPartitionReader partitionReader, SegmentWriter segmentWriter,
			RecordEncodingProcessor rawRecordProcessor, BackupTransfer backupTransfer) {
		return partitionStep(TopicSnapshot.Kind.raw, jobRepository, transactionManager, partitionReader,
				rawRecordProcessor, segmentWriter, backupTransfer);
	}

	@Bean
	Step avroPartitionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			KafkaPartitionReader partitionReader, SegmentWriter segmentWriter,
			RecordEncodingProcessor avroRecordProcessor, BackupTransfer backupTransfer) {
		return partitionStep(TopicSnapshot.Kind.avro, jobRepository, transactionManager, partitionReader,
				avroRecordProcessor, segmentWriter, backupTransfer);
	}

	private static Step partitionStep(TopicSnapshot.Kind kind, JobRepository jobRepository,
			PlatformTransactionManager transactionManager, KafkaPartitionReader reader,
			RecordEncodingProcessor processor, SegmentWriter writer, BackupTransfer transfer) {
		// One block per chunk: the reader sizes each block to the chunk limits, so a chunk is one commit of them.
		return new StepBuilder(workerStepName(kind), jobRepository)
			.<RecordBlock, EncodedBlock>chunk(1)
			.transactionManager(transactionManager)
			.reader(reader)
			.processor(processor)
			.writer(writer)
			.listener(transfer)
			.build();
	}

	/** Counts what the partition moves, for the progress lines, the summary and the metrics. */
	@Bean
	@StepScope
	BackupTransfer backupTransfer(TransferBoard board, TransferMeters meters,
			@Value("#{stepExecution}") StepExecution partition) {
		return BackupTransfer.of(board, meters, partition.getExecutionContext());
	}

	@Bean
	@StepScope
	KafkaPartitionReader partitionReader(KafkaClients kafka, BackupProperties properties,
			@Value("#{stepExecutionContext['" + PartitionContext.TOPIC + "']}") String topic,
			@Value("#{stepExecutionContext['" + PartitionContext.PARTITION + "']}") int partition,
			@Value("#{stepExecutionContext['" + PartitionContext.START + "']}") long start,
			@Value("#{stepExecutionContext['" + PartitionContext.END + "']}") long end) {
		return new KafkaPartitionReader(new TopicPartition(topic, partition), start, end, kafka::backupConsumer,
				properties.backup().stallTimeout(), properties.backup().chunkLimits());
	}

	@Bean
	@StepScope
	RecordEncodingProcessor rawRecordProcessor() {
		return new RecordEncodingProcessor(false, null, (kind, schemaId) -> {
			throw new IllegalStateException("raw topics are never decoded");
		}, true);
	}

	@Bean
	@StepScope
	RecordEncodingProcessor avroRecordProcessor(SchemaCatalogs catalogs, BackupStorage storage,
			BackupProperties properties, @Value(BACKUP) String backupId,
			@Value("#{stepExecutionContext['" + PartitionContext.WIRE_FORMAT + "']}") String wireFormat) {
		// A partition context without a format was planned by a release that knew only Confluent's framing.
		WireFormat format = (wireFormat != null) ? WireFormat.ofLabel(wireFormat) : WireFormat.CONFLUENT;
		return new RecordEncodingProcessor(true, format, catalogs.forBackup(storage.backup(backupId)),
				properties.backup().strict());
	}

	@Bean
	@StepScope
	SegmentWriter segmentWriter(BackupStorage storage, BackupProperties properties, @Value(BACKUP) String backupId,
			@Value("#{stepExecutionContext['" + PartitionContext.TOPIC + "']}") String topic,
			@Value("#{stepExecutionContext['" + PartitionContext.PARTITION + "']}") int partition,
			@Value("#{stepExecutionContext['" + PartitionContext.BASE_DIGEST + "']}") String baseDigest) {
		return new SegmentWriter(storage.backup(backupId),
				BackupDirectory.partitionPath(new TopicPartition(topic, partition)),
				properties.backup().segmentSize().toBytes(), properties.backup().compression(), baseDigest);
	}

	@Bean
	JobPartitions backupPartitions(BackupProperties properties, PartitioningProperties partitioning,
			WorkRequests workRequests) {
		return JobPartitions.of(JOB_NAME, partitioning, workRequests, "partition-", properties.backup().parallelism());
	}

	@Bean
	public Step backupConsumerGroupsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ConsumerGroupsTasklet consumerGroupsTasklet) {
		return new StepBuilder("consumerGroups", jobRepository).tasklet(consumerGroupsTasklet, transactionManager)
			.build();
	}

	@Bean
	@StepScope
	ConsumerGroupsTasklet consumerGroupsTasklet(KafkaClients kafka, BackupProperties properties, BackupStorage storage,
			@Value(BACKUP) String backupId) {
		List<Pattern> groups = properties.consumerGroups().stream().map(Pattern::compile).toList();
		return new ConsumerGroupsTasklet(kafka, groups, storage.backup(backupId));
	}

	@Bean
	public Step sealStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			SealTasklet sealTasklet) {
		return new StepBuilder("seal", jobRepository).tasklet(sealTasklet, transactionManager).build();
	}

	@Bean
	@StepScope
	SealTasklet sealTasklet(JobRepository jobRepository, BackupStorage storage, KafkaClients kafka,
			ObjectProvider<RegistryClient> registry, @Value(BACKUP) String backupId) {
		RegistryClient client = registry.getIfAvailable();
		return new SealTasklet(jobRepository, storage.backup(backupId), kafka.bootstrapServers(),
				(client != null) ? client.url() : null);
	}

	/** Runs after {@code seal}, so that a backup is pruned away only once a newer one is complete. */
	@Bean
	public Step pruneStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			PruneTasklet pruneTasklet) {
		return new StepBuilder("prune", jobRepository).tasklet(pruneTasklet, transactionManager).build();
	}

	@Bean
	@StepScope
	PruneTasklet pruneTasklet(BackupPruner pruner, PruneProperties properties, @Value(BACKUP) String backupId) {
		return new PruneTasklet(pruner, properties.policy(), backupId);
	}

}
