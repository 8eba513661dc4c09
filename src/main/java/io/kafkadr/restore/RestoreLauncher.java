package io.kafkadr.restore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

import io.kafkadr.archive.BackupChain;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.BackupVerifier;
import io.kafkadr.archive.ConsumerGroupSnapshot;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.RegistryContents;
import io.kafkadr.archive.TopicSnapshot;
import io.kafkadr.execution.JobInstanceRunner;
import io.kafkadr.execution.PartitionContext;
import io.kafkadr.kafka.KafkaClients;
import io.kafkadr.kafka.PartitionOffsets;
import io.kafkadr.kafka.TopicConfigs;
import io.kafkadr.kafka.TopicCreator;
import io.kafkadr.kafka.TopicInspector;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryUnavailableException;
import io.kafkadr.storage.StorageLock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Starts a restore, or resumes one: checks the backup, the options, the target cluster and
 * registry, the backup's metadata files against the manifest's size and SHA-256, and refuses target
 * topics that are in the way, all before anything is written; then runs the restore job, whose
 * first step checks every segment, or restarts the interrupted one at the step that failed.
 */
@Component
public class RestoreLauncher {

	private final JobInstanceRunner jobs;

	private final Job restoreJob;

	private final BackupStorage storage;

	private final RestoreState state;

	private final KafkaClients kafka;

	private final RegistryClient registry;

	private final JobRepository jobRepository;

	public RestoreLauncher(JobInstanceRunner jobs, Job restoreJob, BackupStorage storage, RestoreState state,
			KafkaClients kafka, ObjectProvider<RegistryClient> registry, JobRepository jobRepository) {
		this.jobs = jobs;
		this.state = state;
		this.jobRepository = jobRepository;
		this.restoreJob = restoreJob;
		this.storage = storage;
		this.kafka = kafka;
		this.registry = registry.getIfAvailable();
	}

	/** A restore that ran: its execution, and the preview it was checked against (null when resumed). */
	public record Outcome(JobExecution execution, RestorePreview preview) {
	}

	/** Checks everything and returns what the restore would write, writing nothing. */
	public RestorePreview preview(String backupId, RestoreOptions options) {
		BackupDirectory backup = completeBackup(backupId);
		RestorePlan plan = plan(backup, options);
		String cluster = checkTarget(plan);
		return scannedPreview(backup, plan, cluster);
	}

	/**
	 * Runs the restore (or resumes it) and returns its finished execution. What needs no pass over
	 * the records is checked here, before the job starts; the job's {@code verification} step checks
	 * every segment before anything is written.
	 */
	public Outcome run(String requestedId, RestoreOptions options) {
		BackupDirectory backup = completeBackup(requestedId);
		String backupId = backup.id();
		RestorePlan plan = plan(backup, options);
		String cluster = checkTarget(plan);
		JobParameters parameters = new JobParametersBuilder().addString(RestoreJobConfiguration.BACKUP_ID, backupId)
			.addString(RestoreJobConfiguration.TARGET, cluster)
			.addString(RestoreJobConfiguration.OPTIONS_DIGEST, options.digest())
			.addString(RestoreJobConfiguration.OPTIONS, options.toJson(), false)
			.toJobParameters();
		try (StorageLock lock = this.state.lock()) {
			JobExecution previous = lastExecution(parameters, backupId, cluster, options);
			if (previous != null && previous.getStatus() == BatchStatus.COMPLETED) {
				throw new RestoreRefusedException("The backup " + backupId + " was already restored into cluster " + cluster
						+ " with these options (execution " + previous.getId() + "); its validation report is "
						+ this.state.reportLocation(backupId, cluster) + ". To restore it again, delete the restored"
						+ " topics or restore under other names (--rename).");
			}
			if (previous != null) {
				return new Outcome(refuseIfDamaged(backup, this.jobs.resume(previous)), null);
			}
			List<BackupVerifier.Problem> metadata = new BackupVerifier().checkManifestFiles(backup);
			if (!metadata.isEmpty()) {
				throw damaged(backup, metadata.stream().map(Object::toString).toList());
			}
			Optional<String> newIds = schemaIdObstacle(backup, plan);
			Map<String, TopicDescription> existing = refuseTopicsInTheWay(plan);
			JobExecution execution = refuseIfDamaged(backup, this.jobs.start(this.restoreJob, parameters));
			boolean verified = execution.getStepExecutions()
				.stream()
				.anyMatch(step -> step.getStepName().equals(RestoreJobConfiguration.VERIFICATION_STEP)
						&& step.getStatus() == BatchStatus.COMPLETED);
			if (!verified) {
				return new Outcome(execution, null);
			}
			VerifiedPartitions counted = new VerifiedPartitions(this.jobRepository, execution.getJobInstance(), plan);
			return new Outcome(execution,
					preview(backup, counted.intact(), cluster, existing, counted::records, counted::older, newIds,
							List.of()));
		}
	}

	/**
	 * Turns a restore whose {@code verification} step found damaged segments into the refusal of a
	 * damaged backup, naming every one; nothing was written. Running it again checks them again.
	 */
	private static JobExecution refuseIfDamaged(BackupDirectory backup, JobExecution execution) {
		List<String> problems = execution.getStepExecutions()
			.stream()
			.filter(step -> PartitionContext.isPartitionOf(step.getStepName(), RestoreJobConfiguration.VERIFICATION_STEP))
			.flatMap(step -> step.getFailureExceptions().stream())
			.map(RestoreLauncher::damage)
			.flatMap(Optional::stream)
			.toList();
		if (!problems.isEmpty()) {
			throw damaged(backup, problems);
		}
		return execution;
	}

	private static Optional<String> damage(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof PartitionVerificationTasklet.BackupDamagedException) {
				return Optional.of(cause.getMessage());
			}
		}
		return Optional.empty();
	}

	private static RestoreRefusedException damaged(BackupDirectory backup, List<String> problems) {
		return new RestoreRefusedException("The backup " + backup.id() + " failed verification, so nothing was restored: "
				+ String.join("; ", problems) + ". Restore another backup.", true);
	}

	/**
	 * The last execution of this restore, also when an earlier release started it: its identifying
	 * parameters then held the options JSON itself, and the restore must resume, not start again.
	 */
	private JobExecution lastExecution(JobParameters parameters, String backupId, String cluster, RestoreOptions options) {
		JobExecution last = this.jobs.lastExecution(RestoreJobConfiguration.JOB_NAME, parameters);
		if (last != null) {
			return last;
		}
		JobParameters before = new JobParametersBuilder().addString(RestoreJobConfiguration.BACKUP_ID, backupId)
			.addString(RestoreJobConfiguration.TARGET, cluster)
			.addString(RestoreJobConfiguration.OPTIONS, options.toJson())
			.toJobParameters();
		return this.jobs.lastExecution(RestoreJobConfiguration.JOB_NAME, before);
	}

	private BackupDirectory completeBackup(String backupId) {
		BackupDirectory backup = this.storage.existingBackup(backupId);
		if (!backup.exists()) {
			throw new RestoreRefusedException("There is no backup " + backupId + " in " + this.storage.location()
					+ ". `kafka-dr backups` lists the backups there; kafka-dr.storage.location chooses the location.");
		}
		if (!backup.isComplete()) {
			throw new RestoreRefusedException("The backup " + backupId + " is incomplete (it has no manifest: its job never"
					+ " finished) and cannot be restored. Resume it with `kafka-dr backup --backup-id " + backupId
					+ "`, or restore another backup.");
		}
		BackupChain.of(backup).requireKeys();
		return backup;
	}

	private RestorePlan plan(BackupDirectory backup, RestoreOptions options) {
		if (options.topics() != null) {
			try {
				Pattern.compile(options.topics());
			}
			catch (PatternSyntaxException ex) {
				throw new RestoreRefusedException("--topics '" + options.topics() + "' is not a regular expression: "
						+ ex.getDescription() + ".");
			}
		}
		RestorePlan plan = RestorePlan.of(backup, options);
		List<String> backedUp = backup.manifest().topics().stream().map(Manifest.Topic::name).toList();
		for (String source : options.renames().keySet()) {
			if (!backedUp.contains(source)) {
				throw new RestoreRefusedException("--rename " + source + "=" + options.renames().get(source)
						+ ": the backup has no topic " + source + ". Its topics: " + backedUp + ".");
			}
		}
		if (plan.topics().isEmpty()) {
			throw new RestoreRefusedException("--topics '" + options.topics() + "' selects none of the backup's topics "
					+ backedUp + ".");
		}
		boolean avro = plan.topics().stream().anyMatch(t -> t.kind() == TopicSnapshot.Kind.avro);
		if (avro && options.registryMode() == RestoreOptions.RegistryMode.api && this.registry == null) {
			throw new RestoreRefusedException("The restore writes Avro topics, whose schemas go to a Schema Registry first,"
					+ " but kafka-dr.registry.url is not set. Set it to the target registry.");
		}
		return plan;
	}

	/** Checks the cluster (and registry) can be reached; returns the target cluster's id. */
	private String checkTarget(RestorePlan plan) {
		String cluster;
		try {
			cluster = new TopicInspector(this.kafka.admin()).clusterId();
		}
		catch (RuntimeException ex) {
			throw this.kafka.failure(ex, RestoreRefusedException::new);
		}
		if (this.registry != null && plan.options().registryMode() == RestoreOptions.RegistryMode.api) {
			try {
				this.registry.checkApi();
			}
			catch (RegistryUnavailableException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				throw new RestoreRefusedException(ex.getMessage());
			}
		}
		return cluster;
	}

	/**
	 * For a dry run: checks the files the restore reads (sizes and SHA-256) while counting, from each
	 * line's outline, what the plan restores, as the restore's {@code verification} step does.
	 */
	private RestorePreview scannedPreview(BackupDirectory backup, RestorePlan plan, String cluster) {
		Map<String, Long> cutoffs = new HashMap<>();
		Map<String, LongAdder> restored = new HashMap<>();
		Map<String, LongAdder> old = new HashMap<>();
		LongAdder apicurioIds = new LongAdder();
		for (RestorePlan.TopicRestore topic : plan.topics()) {
			long retention = TopicConfigs.retentionMs(topic.configs());
			cutoffs.put(topic.source(), (retention < 0) ? Long.MIN_VALUE : System.currentTimeMillis() - retention);
			restored.put(topic.source(), new LongAdder());
			old.put(topic.source(), new LongAdder());
		}
		Set<String> sources = plan.topics().stream().map(RestorePlan.TopicRestore::source).collect(Collectors.toSet());
		BackupVerifier.Report report = new BackupVerifier().checkFiles(backup, sources, (topic, record) -> {
			LongAdder count = restored.get(topic);
			if (count != null && plan.restores(record.timestamp())) {
				count.increment();
				if (record.apicurioId()) {
					apicurioIds.increment();
				}
				if (record.timestamp() < cutoffs.get(topic)) {
					old.get(topic).increment();
				}
			}
		});
		if (!report.intact() && !plan.options().skipDamaged()) {
			throw damaged(backup, report.problems().stream().map(Object::toString).toList());
		}
		Optional<String> newIds = schemaIdObstacle(backup, plan);
		if (newIds.isPresent() && apicurioIds.sum() > 0) {
			throw SchemaImport.cannotRenumber(newIds.get(), apicurioIds.sum());
		}
		Map<String, TopicDescription> existing = new TopicCreator(this.kafka.admin())
			.describe(plan.topics().stream().map(RestorePlan.TopicRestore::target).toList());
		// The scan stops at a partition's first damage: the counts hold what was read before it.
		List<String> damage = report.problems()
			.stream()
			.map(problem -> "damaged, so its partition is left out (--skip-damaged; the counts include the records read"
					+ " before the damage): " + problem)
			.toList();
		return preview(backup, plan, cluster, existing, topic -> restored.get(topic.source()).sum(),
				topic -> old.get(topic.source()).sum(), newIds, damage);
	}

	/** What the restore writes, from what a pass over the backup counted per topic. */
	private static RestorePreview preview(BackupDirectory backup, RestorePlan plan, String cluster,
			Map<String, TopicDescription> existing, ToLongFunction<RestorePlan.TopicRestore> restored,
			ToLongFunction<RestorePlan.TopicRestore> old, Optional<String> newIds, List<String> damage) {
		List<RestorePreview.Topic> topics = new ArrayList<>();
		List<String> warnings = new ArrayList<>(damage);
		boolean suspend = plan.options().retention() == RestoreOptions.Retention.suspend;
		for (RestorePlan.TopicRestore topic : plan.topics()) {
			long older = old.applyAsLong(topic);
			long retention = TopicConfigs.retentionMs(topic.configs());
			topics.add(new RestorePreview.Topic(topic.source(), topic.target(), topic.kind().name(), topic.partitionCount(),
					restored.applyAsLong(topic), older, retention, existing.containsKey(topic.target())));
			if (older > 0) {
				warnings.add(older + " records of " + topic.source() + " are older than its retention.ms=" + retention + "; "
						+ (suspend ? "retention is suspended during the restore and applied again once it is validated,"
								+ " when the broker will delete them"
								: "the broker will delete them soon after the restore. Use --retention=suspend to keep"
										+ " them until the restore is validated"));
			}
			if ("LogAppendTime".equals(topic.configs().get("message.timestamp.type"))) {
				warnings.add(topic.target() + " uses LogAppendTime: it is written as CreateTime, so records keep their"
						+ " backed-up timestamps, and switched to LogAppendTime after validation");
			}
		}
		newIds.ifPresent(obstacle -> warnings.add("The schemas get new ids (--allow-new-schema-ids): " + obstacle
				+ ". Avro keys change bytes; the validation report counts those that now hash to another partition."));
		RegistryContents registryContents = backup.read(BackupDirectory.REGISTRY, RegistryContents.class);
		int versions = registryContents.subjects().stream().mapToInt(s -> s.versions().size()).sum();
		int groups = backup.read(BackupDirectory.CONSUMER_GROUPS, ConsumerGroupSnapshot.class).groups().size();
		return new RestorePreview(backup.id(), cluster, plan.options().until(), plan.options().registryMode().name(),
				plan.options().retention().name(), topics, registryContents.subjects().size(), versions, groups, warnings);
	}

	/**
	 * Refuses, before anything is written, a target registry that cannot take the backup's schemas
	 * under their original ids, unless the user accepted new ids; then returns why they get new ids.
	 */
	private Optional<String> schemaIdObstacle(BackupDirectory backup, RestorePlan plan) {
		boolean avro = plan.topics().stream().anyMatch(topic -> topic.kind() == TopicSnapshot.Kind.avro);
		if (!avro || this.registry == null || plan.options().registryMode() != RestoreOptions.RegistryMode.api) {
			return Optional.empty();
		}
		Optional<String> obstacle = new SchemaImport(this.registry, backup, plan.options().allowNewSchemaIds()).obstacle();
		if (obstacle.isPresent() && !plan.options().allowNewSchemaIds()) {
			throw new RestoreRefusedException("The backup's schemas cannot keep their ids: " + obstacle.get()
					+ ". Nothing was written. A key's bytes carry its schema id and producers partition by hashing the"
					+ " whole key, so with new ids new events of a key would go to another partition than its history."
					+ " To accept that, run the restore with --allow-new-schema-ids.");
		}
		return obstacle;
	}

	/**
	 * Refuses target topics that already hold records (unless asked) or have too few partitions;
	 * returns the target topics that exist.
	 */
	private Map<String, TopicDescription> refuseTopicsInTheWay(RestorePlan plan) {
		List<String> nonEmpty = new ArrayList<>();
		Admin admin = this.kafka.admin();
		Map<String, TopicDescription> existing = new TopicCreator(admin)
			.describe(plan.topics().stream().map(RestorePlan.TopicRestore::target).toList());
		for (RestorePlan.TopicRestore topic : plan.topics()) {
			TopicDescription found = existing.get(topic.target());
			if (found == null) {
				continue;
			}
			if (found.partitions().size() < topic.partitionCount()) {
				throw new RestoreRefusedException("The target topic " + topic.target() + " has "
						+ found.partitions().size() + " partitions; the backup of " + topic.source() + " has "
						+ topic.partitionCount() + ", and every record goes back to its own partition. Delete the topic,"
						+ " or restore it under another name with --rename " + topic.source() + "=<new name>.");
			}
			List<TopicPartition> partitions = found.partitions()
				.stream()
				.map(p -> new TopicPartition(topic.target(), p.partition()))
				.toList();
			if (new PartitionOffsets(admin).ends(partitions).values().stream().anyMatch(end -> end > 0)) {
				nonEmpty.add(topic.target());
			}
		}
		if (!nonEmpty.isEmpty() && !plan.options().intoExistingTopics()) {
			throw new RestoreRefusedException("The target topics " + nonEmpty + " already hold records. Restoring into"
					+ " them would mix the backup with what is there. Delete them, restore under other names (--rename),"
					+ " or say --into-existing-topics to append the backup after their records.");
		}
		return existing;
	}

}
