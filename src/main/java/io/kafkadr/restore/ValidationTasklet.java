package io.kafkadr.restore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.SchemaStore;
import io.kafkadr.kafka.ConsumerGroupInspector;
import io.kafkadr.kafka.KafkaClients;
import io.kafkadr.kafka.TopicConfigs;
import io.kafkadr.kafka.TopicCreator;
import io.kafkadr.registry.RegistryClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code validation} step: gathers what the partitions of the {@code readBack} step
 * found (each restored partition's record count and content digest against the backup's), checks
 * that every writer schema resolves under its target id, that the translated consumer-group offsets
 * are committed, and, when configured, that Kafka Connect runs every connector and task. It writes
 * {@link ValidationReport}; any mismatch fails the step. Only a restore that passed gets its
 * held-back topic configs back.
 */
public class ValidationTasklet implements Tasklet {

	/**
	 * The step execution context key that says the report was written, holding where (releases
	 * before 0.1 held its path inside the backup: its presence is what counts).
	 */
	public static final String REPORT = "kafka-dr.validation-report";

	private final KafkaClients kafka;

	private final RegistryClient registry;

	private final ConnectHealth connect;

	private final JobRepository jobRepository;

	private final RestoreState state;

	private final BackupDirectory backup;

	private final RestorePlan plan;

	private final SchemaIdMapping ids;

	private final String targetCluster;

	private final Map<String, String> skipped;

	/**
	 * @param plan what the restore wrote: without the partitions {@code skipped}
	 * @param skipped the damaged partitions a restore with {@code --skip-damaged} left out, and why
	 */
	public ValidationTasklet(KafkaClients kafka, RegistryClient registry, ConnectHealth connect,
			JobRepository jobRepository, BackupDirectory backup, RestoreState state, RestorePlan plan, SchemaIdMapping ids,
			String targetCluster, Map<String, String> skipped) {
		this.skipped = skipped;
		this.state = state;
		this.kafka = kafka;
		this.registry = registry;
		this.connect = connect;
		this.jobRepository = jobRepository;
		this.backup = backup;
		this.plan = plan;
		this.ids = ids;
		this.targetCluster = targetCluster;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		JobExecution job = chunkContext.getStepContext().getStepExecution().getJobExecution();
		RestoredPartitions restored = new RestoredPartitions(this.jobRepository, job);
		List<String> problems = new ArrayList<>();
		List<ValidationReport.PartitionCheck> partitions = checkPartitions(job, problems);
		List<ValidationReport.GroupOffsetCheck> groups = checkGroupOffsets(restored, problems);
		ValidationReport.SchemaCheck schemas = checkSchemas(problems);
		ValidationReport.ConnectCheck connect = this.connect.check();
		if (connect.checked() && !connect.healthy()) {
			problems.add(connect.problem());
		}
		List<String> warnings = new ArrayList<>();
		if (!this.skipped.isEmpty()) {
			warnings.add(this.skipped.size() + " damaged partitions were left out (--skip-damaged) and hold nothing"
					+ " restored: " + this.skipped.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
						.toList()
					+ ". Restore them from another backup with --topics, into the same topics with --into-existing-topics.");
		}
		if (!this.ids.kept()) {
			warnings.add(newIdsWarning(partitions));
		}
		ValidationReport report = new ValidationReport(this.backup.id(), this.targetCluster, Instant.now(),
				problems.isEmpty(), this.ids.kept(), partitions, groups, schemas, connect, problems, warnings, this.skipped);
		String location = this.state.writeReport(report);
		chunkContext.getStepContext().getStepExecution().getExecutionContext().putString(REPORT, location);
		if (!problems.isEmpty()) {
			throw new IllegalStateException("The restore does not match the backup: " + String.join("; ", problems)
					+ ". The full report is " + location + ".");
		}
		applyHeldBackConfigs();
		return RepeatStatus.FINISHED;
	}

	/** What each partition of the {@code readBack} step found, in plan order. */
	private List<ValidationReport.PartitionCheck> checkPartitions(JobExecution job, List<String> problems) {
		List<ValidationReport.PartitionCheck> results = new ArrayList<>();
		for (RestorePlan.TopicRestore topic : this.plan.topics()) {
			for (Manifest.Partition partition : topic.partitions()) {
				String stepName = RestoreJobConfiguration.readBackPartitionStep(topic.source(), partition.partition());
				StepExecution step = this.jobRepository.getLastStepExecution(job.getJobInstance(), stepName);
				if (step == null || step.getStatus() != BatchStatus.COMPLETED) {
					throw new IllegalStateException("The step " + stepName + " did not complete; validate the restore first");
				}
				ValidationReport.PartitionCheck check = PartitionReadBack.check(topic, partition.partition(),
						step.getExecutionContext());
				results.add(check);
				if (!check.passed()) {
					problems.add(check.target() + "-" + check.partition() + " holds " + check.actualRecords()
							+ " records with digest " + check.actualDigest() + ", the backup " + check.expectedRecords()
							+ " with " + check.expectedDigest());
				}
			}
		}
		return results;
	}

	private List<ValidationReport.GroupOffsetCheck> checkGroupOffsets(RestoredPartitions restored,
			List<String> problems) {
		List<GroupOffsetPlan.Translation> translations = GroupOffsetPlan.of(this.backup, this.plan, restored);
		List<ValidationReport.GroupOffsetCheck> checks = new ArrayList<>();
		Admin admin = this.kafka.admin();
		for (String group : GroupOffsetPlan.byGroup(translations).keySet()) {
			Map<TopicPartition, OffsetAndMetadata> committed = new ConsumerGroupInspector(admin).committed(group);
			for (GroupOffsetPlan.Translation t : translations) {
				if (!t.group().equals(group)) {
					continue;
				}
				OffsetAndMetadata actual = committed.get(new TopicPartition(t.targetTopic(), t.partition()));
				Long actualOffset = (actual != null) ? actual.offset() : null;
				boolean passed = actualOffset != null && actualOffset == t.targetOffset();
				if (!passed) {
					problems.add("consumer group " + group + " has " + actualOffset + " committed on " + t.targetTopic()
							+ "-" + t.partition() + ", the translation of source offset " + t.sourceOffset() + " is "
							+ t.targetOffset());
				}
				checks.add(new ValidationReport.GroupOffsetCheck(group, t.targetTopic(), t.partition(), t.sourceOffset(),
						t.targetOffset(), actualOffset, passed));
			}
		}
		return checks;
	}

	/** Every writer schema resolves under its target id to the same schema, not merely to some schema. */
	private ValidationReport.SchemaCheck checkSchemas(List<String> problems) {
		List<String> unresolved = new ArrayList<>();
		boolean replaced = false;
		if (this.registry != null) {
			SchemaStore schemas = new SchemaStore(this.backup);
			for (Map.Entry<String, Integer> mapped : this.ids.asMap().entrySet()) {
				SchemaResolution.Problem problem = SchemaResolution.check(this.registry, schemas, mapped.getKey(),
						mapped.getValue());
				if (problem != null) {
					unresolved.add(mapped.getKey() + " (" + problem.description() + ")");
					replaced |= problem.lost();
				}
			}
		}
		if (!unresolved.isEmpty()) {
			problems.add(unresolved.size() + " schemas do not resolve in the target registry " + this.registry.url() + ": "
					+ unresolved + (replaced ? ". The registry lost them or holds other schemas under their ids since"
							+ " the restore registered them: it was reset or replaced while the restore ran. Point"
							+ " kafka-dr.registry.url at an empty registry (or empty this one), delete the restored topics,"
							+ " and restore again" : ""));
		}
		return new ValidationReport.SchemaCheck(this.ids.asMap().size(), unresolved);
	}

	/** Per keyed topic, how many keys changed bytes with their schema's new id and now hash elsewhere. */
	private static String newIdsWarning(List<ValidationReport.PartitionCheck> partitions) {
		Map<String, long[]> byTopic = new TreeMap<>();
		partitions.forEach(p -> {
			long[] counts = byTopic.computeIfAbsent(p.target(), t -> new long[2]);
			counts[0] += p.keysRewritten();
			counts[1] += p.keysMoved();
		});
		StringBuilder warning = new StringBuilder("The schemas got new ids (--allow-new-schema-ids), so Avro keys changed"
				+ " bytes: ");
		List<String> topics = new ArrayList<>();
		byTopic.forEach((topic, counts) -> {
			if (counts[0] > 0) {
				topics.add(topic + " " + counts[0] + " keys rewritten, " + counts[1]
						+ " of them now hash to another partition than their history");
			}
		});
		warning.append(topics.isEmpty() ? "none in the restored records" : String.join("; ", topics));
		return warning.append(". New events for those keys will not follow their history.").toString();
	}

	/** Puts back the configs held back while writing (timestamp type, retention). */
	private void applyHeldBackConfigs() {
		boolean suspend = this.plan.options().retention() == RestoreOptions.Retention.suspend;
		TopicCreator topics = new TopicCreator(this.kafka.admin());
		for (RestorePlan.TopicRestore topic : this.plan.topics()) {
			topics.alterConfigs(topic.target(), TopicConfigs.afterRestoring(topic.configs(), suspend));
		}
	}

}
