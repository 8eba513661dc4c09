package io.kafkadr.restore;

import java.time.Duration;
import java.util.Map;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.DatumEncoder;
import io.kafkadr.archive.SchemaStore;
import io.kafkadr.archive.TopicSnapshot;
import io.kafkadr.execution.FailedStepExitStatus;
import io.kafkadr.execution.JobKeys;
import io.kafkadr.execution.PartitionContext;
import io.kafkadr.kafka.ChunkLimits;
import io.kafkadr.kafka.ConnectClient;
import io.kafkadr.kafka.ConnectHealthCheck;
import io.kafkadr.kafka.ConnectProperties;
import io.kafkadr.kafka.KafkaClients;
import io.kafkadr.kafka.KafkaPartitionReader;
import io.kafkadr.kafka.PartitionOffsets;
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
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The restore job: {@code verification} → {@code schemas} → {@code waitForRegistry} →
 * {@code internalTopics} and {@code cdcTopics} side by side → {@code consumerGroups} →
 * {@code readBack} → {@code validation}. Verification, the topics and the read-back are
 * partitioned, one partition per backed-up topic-partition. It is identified by the backup id, the
 * target cluster and a digest of the restore options, so running the same command again continues
 * the same restore at the step (and partition) that failed.
 */
@Configuration(proxyBeanMethods = false)
public class RestoreJobConfiguration {

	public static final String JOB_NAME = "restoreJob";

	/** The identifying job parameter naming the backup. */
	public static final String BACKUP_ID = JobKeys.BACKUP_ID;

	/** The identifying job parameter naming the target cluster (its cluster id). */
	public static final String TARGET = "restore.target";

	/**
	 * The job parameter holding {@link RestoreOptions} as JSON. Not identifying, except in restores
	 * an earlier release started, where it stands in place of {@link #OPTIONS_DIGEST}.
	 */
	public static final String OPTIONS = "restore.options";

	/**
	 * The identifying job parameter standing for the options: {@link RestoreOptions#digest()}, short
	 * whatever the options hold and unchanged by options a later release adds with their defaults.
	 */
	public static final String OPTIONS_DIGEST = "restore.options.digest";

	/** The step that checks the backup's segments before anything is written. */
	static final String VERIFICATION_STEP = "verification";

	static final String VERIFICATION_WORKER = PartitionContext.workerStepName(VERIFICATION_STEP);

	static final String SCHEMAS_STEP = "schemas";

	/** The partitioned step that reads every restored partition back. */
	static final String READ_BACK_STEP = "readBack";

	static final String READ_BACK_WORKER = PartitionContext.workerStepName(READ_BACK_STEP);

	static final String WAIT_FOR_REGISTRY_STEP = "waitForRegistry";

	private static final String BACKUP = "#{jobParameters['" + BACKUP_ID + "']}";

	private static final String OPTIONS_JSON = "#{jobParameters['" + OPTIONS + "']}";

	private static final String PARTITION_CONTEXT = "#{stepExecutionContext['";

	private final RestorePlans plans;

	public RestoreJobConfiguration(RestorePlans plans) {
		this.plans = plans;
	}

	@Bean
	public Job restoreJob(JobRepository jobRepository, Step restoreVerificationStep, Step restoreSchemasStep,
			Step restoreWaitForRegistryStep, Step restoreInternalTopicsStep, Step restoreCdcTopicsStep,
			Step restoreConsumerGroupsStep, Step restoreReadBackStep, Step restoreValidationStep,
			ProgressReporter progressReporter) {
		return new JobBuilder(JOB_NAME, jobRepository).listener(progressReporter)
			.listener(new FailedStepExitStatus())
			.flow(restoreVerificationStep)
			.next(restoreSchemasStep)
			.next(restoreWaitForRegistryStep)
			.next(TopicDataFlow.of(restoreInternalTopicsStep, restoreCdcTopicsStep))
			.next(restoreConsumerGroupsStep)
			.next(restoreReadBackStep)
			.next(restoreValidationStep)
			.end()
			.build();
	}

	@Bean
	public Step restoreVerificationStep(JobRepository jobRepository, Partitioner verificationPartitioner,
			Step verificationPartitionStep, JobPartitions restorePartitions) {
		return restorePartitions
			.partitioned(VERIFICATION_STEP, jobRepository, verificationPartitioner, verificationPartitionStep)
			.build();
	}

	@Bean
	@StepScope
	Partitioner verificationPartitioner(BackupStorage storage, @Value(BACKUP) String backupId,
			@Value(OPTIONS_JSON) String options) {
		return new PlanPartitioner(plan(storage, backupId, options).topics());
	}

	@Bean
	Step verificationPartitionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			PartitionVerificationTasklet partitionVerificationTasklet) {
		return new StepBuilder(VERIFICATION_WORKER, jobRepository)
			.tasklet(partitionVerificationTasklet, transactionManager)
			.build();
	}

	@Bean
	@StepScope
	PartitionVerificationTasklet partitionVerificationTasklet(BackupStorage storage, @Value(BACKUP) String backupId,
			@Value(OPTIONS_JSON) String options,
			@Value(PARTITION_CONTEXT + PartitionContext.SOURCE + "']}") String source,
			@Value(PARTITION_CONTEXT + PartitionContext.PARTITION + "']}") int partition) {
		return new PartitionVerificationTasklet(storage.backup(backupId), plan(storage, backupId, options), source,
				partition);
	}

	@Bean
	public Step restoreSchemasStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			RegistryImportTasklet registryImportTasklet) {
		return new StepBuilder(SCHEMAS_STEP, jobRepository).tasklet(registryImportTasklet, transactionManager).build();
	}

	@Bean
	@StepScope
	RegistryImportTasklet registryImportTasklet(ObjectProvider<RegistryClient> registry, KafkaClients kafka,
			JobRepository jobRepository, BackupStorage storage, @Value(BACKUP) String backupId,
			@Value(OPTIONS_JSON) String options, @Value("#{stepExecution}") StepExecution step) {
		BackupDirectory backup = storage.backup(backupId);
		RestorePlan plan = this.plans.of(backup, options);
		return new RegistryImportTasklet(registry.getIfAvailable(), backup, plan.options(),
				new RegistryTopicWriter(kafka, jobRepository, backup, plan),
				new VerifiedPartitions(jobRepository, step.getJobExecution().getJobInstance(), plan));
	}

	/**
	 * Runs on every restart too, even after it completed: the registry may have lost the schemas
	 * since (restarted empty), and the steps after it re-encode records with their ids.
	 */
	@Bean
	public Step restoreWaitForRegistryStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			RegistryWaitTasklet registryWaitTasklet) {
		return new StepBuilder(WAIT_FOR_REGISTRY_STEP, jobRepository).tasklet(registryWaitTasklet, transactionManager)
			.allowStartIfComplete(true)
			.build();
	}

	@Bean
	@StepScope
	RegistryWaitTasklet registryWaitTasklet(ObjectProvider<RegistryClient> registry, BackupStorage storage,
			RestoreProperties properties, JobRepository jobRepository, @Value(BACKUP) String backupId,
			@Value(OPTIONS_JSON) String options, @Value("#{stepExecution}") StepExecution step) {
		BackupDirectory backup = storage.backup(backupId);
		SchemaStore schemas = new SchemaStore(backup);
		RegistryClient target = registry.getIfAvailable();
		SchemaImport reimport = null;
		RestoreOptions restoreOptions = RestoreOptions.fromJson(options);
		// In topic mode the registry reads the schemas from the restored _schemas topic: nothing to register again.
		if (target != null && restoreOptions.registryMode() == RestoreOptions.RegistryMode.api) {
			reimport = new SchemaImport(target, backup, restoreOptions.allowNewSchemaIds());
		}
		return new RegistryWaitTasklet(target, schemas, SchemaIdMapping.registered(jobRepository, step), reimport,
				properties.registryTimeout());
	}

	@Bean
	public Step restoreInternalTopicsStep(JobRepository jobRepository, Partitioner rawRestorePartitioner,
			TopicPreparation rawTopicPreparation, Step rawRestorePartitionStep, JobPartitions restorePartitions) {
		return restorePartitions
			.partitioned(TopicDataFlow.stepName(false), jobRepository, rawRestorePartitioner, rawRestorePartitionStep)
			.listener(rawTopicPreparation)
			.build();
	}

	@Bean
	public Step restoreCdcTopicsStep(JobRepository jobRepository, Partitioner avroRestorePartitioner,
			TopicPreparation avroTopicPreparation, Step avroRestorePartitionStep, JobPartitions restorePartitions) {
		return restorePartitions
			.partitioned(TopicDataFlow.stepName(true), jobRepository, avroRestorePartitioner, avroRestorePartitionStep)
			.listener(avroTopicPreparation)
			.build();
	}

	/** The name of the worker step that restores one partition of a topic of this kind. */
	static String workerStepName(TopicSnapshot.Kind kind) {
		return PartitionContext.workerStepName(TopicDataFlow.stepName(kind == TopicSnapshot.Kind.avro));
	}

	@Bean
	@StepScope
	TopicPreparation rawTopicPreparation(KafkaClients kafka, BackupStorage storage, @Value(BACKUP) String backupId,
			@Value(OPTIONS_JSON) String options) {
		return new TopicPreparation(kafka, plan(storage, backupId, options), TopicSnapshot.Kind.raw);
	}

	@Bean
	@StepScope
	TopicPreparation avroTopicPreparation(KafkaClients kafka, BackupStorage storage, @Value(BACKUP) String backupId,
			@Value(OPTIONS_JSON) String options) {
		return new TopicPreparation(kafka, plan(storage, backupId, options), TopicSnapshot.Kind.avro);
	}

	@Bean
	@StepScope
	Partitioner rawRestorePartitioner(KafkaClients kafka, JobRepository jobRepository, BackupStorage storage,
			@Value(BACKUP) String backupId, @Value(OPTIONS_JSON) String options,
			@Value("#{stepExecution}") StepExecution step) {
		return new RestorePartitioner(kafka, intactPlan(jobRepository, step, storage, backupId, options),
				TopicSnapshot.Kind.raw);
	}

	@Bean
	@StepScope
	Partitioner avroRestorePartitioner(KafkaClients kafka, JobRepository jobRepository, BackupStorage storage,
			@Value(BACKUP) String backupId, @Value(OPTIONS_JSON) String options,
			@Value("#{stepExecution}") StepExecution step) {
		return new RestorePartitioner(kafka, intactPlan(jobRepository, step, storage, backupId, options),
				TopicSnapshot.Kind.avro);
	}

	@Bean
	Step rawRestorePartitionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ArchiveRecordReader archiveRecordReader, KafkaPartitionWriter kafkaPartitionWriter,
			RestoreTransfer restoreTransfer) {
		return partitionStep(TopicSnapshot.Kind.raw, jobRepository, transactionManager, archiveRecordReader,
				kafkaPartitionWriter, restoreTransfer);
	}

	@Bean
	Step avroRestorePartitionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ArchiveRecordReader archiveRecordReader, KafkaPartitionWriter kafkaPartitionWriter,
			RestoreTransfer restoreTransfer) {
		return partitionStep(TopicSnapshot.Kind.avro, jobRepository, transactionManager, archiveRecordReader,
				kafkaPartitionWriter, restoreTransfer);
	}

	private static Step partitionStep(TopicSnapshot.Kind kind, JobRepository jobRepository,
			PlatformTransactionManager transactionManager, ArchiveRecordReader reader, KafkaPartitionWriter writer,
			RestoreTransfer transfer) {
		// One block per chunk: the reader sizes each block to the chunk limits, so a chunk is one commit of them.
		return new StepBuilder(workerStepName(kind), jobRepository)
			.<RestoreBlock, RestoreBlock>chunk(1)
			.transactionManager(transactionManager)
			.reader(reader)
			.writer(writer)
			.listener(transfer)
			.build();
	}

	/** Counts what the partition moves, for the progress lines, the summary and the metrics. */
	@Bean
	@StepScope
	RestoreTransfer restoreTransfer(TransferBoard board, TransferMeters meters, BackupStorage storage,
			@Value(BACKUP) String backupId, @Value(OPTIONS_JSON) String options,
			@Value(PARTITION_CONTEXT + PartitionContext.SOURCE + "']}") String source,
			@Value(PARTITION_CONTEXT + PartitionContext.TARGET + "']}") String target,
			@Value(PARTITION_CONTEXT + PartitionContext.PARTITION + "']}") int partition) {
		RestorePlan plan = plan(storage, backupId, options);
		long archived = plan.topic(source).partition(partition).records();
		return new RestoreTransfer(board, meters, target, partition, archived, plan.restoresEverything());
	}

	@Bean
	@StepScope
	ArchiveRecordReader archiveRecordReader(KafkaClients kafka, BackupStorage storage, JobRepository jobRepository,
			RestoreProperties properties,
			@Value(BACKUP) String backupId,
			@Value(OPTIONS_JSON) String options, @Value("#{stepExecution}") StepExecution step,
			@Value(PARTITION_CONTEXT + PartitionContext.SOURCE + "']}") String source,
			@Value(PARTITION_CONTEXT + PartitionContext.TARGET + "']}") String target,
			@Value(PARTITION_CONTEXT + PartitionContext.PARTITION + "']}") int partition) {
		BackupDirectory backup = storage.backup(backupId);
		RestorePlan plan = this.plans.of(backup, options);
		TopicPartition targetPartition = new TopicPartition(target, partition);
		return new ArchiveRecordReader(backup, plan.topic(source).partition(partition), plan,
				() -> new PartitionOffsets(kafka.admin()).end(targetPartition), jobRepository,
				new RecordReencoder(target, new DatumEncoder(new SchemaStore(backup)),
						SchemaIdMapping.confirmed(jobRepository, step)),
				properties.chunkSize(), properties.chunkBytes().toBytes());
	}

	@Bean
	@StepScope
	KafkaPartitionWriter kafkaPartitionWriter(PartitionProducers partitionProducers, KafkaClients kafka) {
		return new KafkaPartitionWriter(partitionProducers, kafka.restoreDeliveryTimeout());
	}

	@Bean
	PartitionProducers partitionProducers(KafkaClients kafka) {
		return new PartitionProducers(kafka::restoreProducer);
	}

	@Bean
	JobPartitions restorePartitions(RestoreProperties properties, PartitioningProperties partitioning,
			WorkRequests workRequests) {
		return JobPartitions.of(JOB_NAME, partitioning, workRequests, "restore-", properties.parallelism());
	}

	@Bean
	public Step restoreConsumerGroupsStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			GroupOffsetsTasklet groupOffsetsTasklet) {
		return new StepBuilder("consumerGroups", jobRepository).tasklet(groupOffsetsTasklet, transactionManager).build();
	}

	@Bean
	@StepScope
	GroupOffsetsTasklet groupOffsetsTasklet(KafkaClients kafka, JobRepository jobRepository, BackupStorage storage,
			@Value(BACKUP) String backupId, @Value(OPTIONS_JSON) String options,
			@Value("#{stepExecution}") StepExecution step) {
		return new GroupOffsetsTasklet(kafka, jobRepository, storage.backup(backupId),
				intactPlan(jobRepository, step, storage, backupId, options));
	}

	@Bean
	public Step restoreReadBackStep(JobRepository jobRepository, Partitioner readBackPartitioner,
			Step readBackPartitionStep, JobPartitions restorePartitions) {
		return restorePartitions.partitioned(READ_BACK_STEP, jobRepository, readBackPartitioner, readBackPartitionStep)
			.build();
	}

	@Bean
	@StepScope
	Partitioner readBackPartitioner(KafkaClients kafka, JobRepository jobRepository, BackupStorage storage,
			@Value(BACKUP) String backupId, @Value(OPTIONS_JSON) String options,
			@Value("#{stepExecution}") StepExecution step) {
		return new ReadBackPartitioner(kafka, intactPlan(jobRepository, step, storage, backupId, options),
				new RestoredPartitions(jobRepository, step.getJobExecution()));
	}

	/** One block per chunk, as the restore writes them: a chunk is one save of the partition's digest so far. */
	@Bean
	Step readBackPartitionStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			KafkaPartitionReader readBackReader, PartitionReadBack partitionReadBack) {
		return new StepBuilder(READ_BACK_WORKER, jobRepository).<RecordBlock, RecordBlock>chunk(1)
			.transactionManager(transactionManager)
			.reader(readBackReader)
			.writer(partitionReadBack)
			.build();
	}

	/**
	 * Reads exactly the range the restore wrote: its records are contiguous from the target start, as
	 * it produced without transactions. Records appended after it (Kafka Connect writes its status as
	 * soon as it starts) are not the restore's and are not read. Created when the partition opens,
	 * after {@link PartitionReadBack} fixed the expected count. Blocks are as large as the restore's
	 * chunks, and each is a save of the partition's progress, as there.
	 */
	@Bean
	@StepScope
	KafkaPartitionReader readBackReader(KafkaClients kafka, RestoreProperties properties,
			@Value(PARTITION_CONTEXT + PartitionContext.TARGET + "']}") String target,
			@Value(PARTITION_CONTEXT + PartitionContext.PARTITION + "']}") int partition,
			@Value(PARTITION_CONTEXT + PartitionContext.TARGET_START + "']}") long start,
			@Value(PARTITION_CONTEXT + PartitionContext.TARGET_END + "']}") long end,
			@Value(PARTITION_CONTEXT + PartitionContext.EXPECTED_RECORDS + "']}") long expected) {
		return new KafkaPartitionReader(new TopicPartition(target, partition), start, Math.min(end, start + expected),
				kafka::backupConsumer, Duration.ofMinutes(1),
				new ChunkLimits(properties.chunkSize(), properties.chunkBytes().toBytes(), Duration.ofSeconds(5)));
	}

	@Bean
	@StepScope
	PartitionReadBack partitionReadBack(BackupStorage storage, JobRepository jobRepository,
			@Value(BACKUP) String backupId, @Value(OPTIONS_JSON) String options,
			@Value("#{stepExecution}") StepExecution step,
			@Value(PARTITION_CONTEXT + PartitionContext.SOURCE + "']}") String source,
			@Value(PARTITION_CONTEXT + PartitionContext.PARTITION + "']}") int partition) {
		return new PartitionReadBack(storage.backup(backupId), plan(storage, backupId, options), source, partition,
				SchemaIdMapping.confirmed(jobRepository, step));
	}

	@Bean
	public Step restoreValidationStep(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			ValidationTasklet validationTasklet) {
		return new StepBuilder("validation", jobRepository).tasklet(validationTasklet, transactionManager).build();
	}

	@Bean
	@StepScope
	ValidationTasklet validationTasklet(KafkaClients kafka, ObjectProvider<RegistryClient> registry,
			ObjectProvider<ConnectHealth> connect, JobRepository jobRepository, BackupStorage storage,
			RestoreState state, @Value(BACKUP) String backupId, @Value(OPTIONS_JSON) String options,
			@Value("#{jobParameters['" + TARGET + "']}") String target, @Value("#{stepExecution}") StepExecution step) {
		RestorePlan plan = plan(storage, backupId, options);
		Map<String, String> damaged = plan.options().skipDamaged()
				? new VerifiedPartitions(jobRepository, step.getJobExecution().getJobInstance(), plan).damaged() : Map.of();
		return new ValidationTasklet(kafka, registry.getIfAvailable(),
				connect.getIfAvailable(() -> ConnectHealth.NOT_CONFIGURED), jobRepository, storage.backup(backupId), state,
				plan.without(damaged.keySet()), SchemaIdMapping.confirmed(jobRepository, step), target, damaged);
	}

	/** The name of the readBack step's partition that reads this restored partition back. */
	static String readBackPartitionStep(String source, int partition) {
		return PartitionContext.partitionStepName(READ_BACK_WORKER, source, partition);
	}

	/** Only when {@code kafka-dr.connect.url} is set: waits (bounded) for every connector and task to run. */
	@Bean
	@ConditionalOnExpression("'${kafka-dr.connect.url:}' != ''")
	ConnectHealth connectHealth(ConnectProperties properties) {
		ConnectHealthCheck check = new ConnectHealthCheck(new ConnectClient(properties));
		return () -> {
			ConnectHealthCheck.Result result = check.awaitRunning(properties.timeout());
			return new ValidationReport.ConnectCheck(true, result.healthy(), result.problem());
		};
	}

	private RestorePlan plan(BackupStorage storage, String backupId, String options) {
		return this.plans.of(storage.backup(backupId), options);
	}

	/**
	 * What the steps after {@code verification} write: the plan, without the partitions verification
	 * found damaged when the restore was asked to skip them ({@code --skip-damaged}).
	 */
	private RestorePlan intactPlan(JobRepository jobRepository, StepExecution step, BackupStorage storage,
			String backupId, String options) {
		RestorePlan plan = plan(storage, backupId, options);
		return plan.options().skipDamaged()
				? new VerifiedPartitions(jobRepository, step.getJobExecution().getJobInstance(), plan).intact() : plan;
	}

}
