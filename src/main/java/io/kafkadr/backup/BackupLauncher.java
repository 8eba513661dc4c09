package io.kafkadr.backup;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.TopicSnapshot;
import io.kafkadr.execution.JobInstanceRunner;
import io.kafkadr.kafka.KafkaClients;
import io.kafkadr.kafka.RangeDeletedException;
import io.kafkadr.kafka.TopicInspector;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryUnavailableException;
import io.kafkadr.storage.StorageLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Starts a backup, or resumes one: checks the configuration, the storage, the cluster and the
 * registry first (a refused backup writes nothing), holds the storage lock while the job runs, and
 * restarts the job instance of an interrupted backup with the same id.
 */
@Component
public class BackupLauncher {

	private static final Logger log = LoggerFactory.getLogger(BackupLauncher.class);

	private static final DateTimeFormatter DEFAULT_ID = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'")
		.withZone(ZoneOffset.UTC);

	private final JobInstanceRunner jobs;

	private final Job backupJob;

	private final BackupStorage storage;

	private final KafkaClients kafka;

	private final RegistryClient registry;

	private final BackupProperties properties;

	public BackupLauncher(JobInstanceRunner jobs, Job backupJob, BackupStorage storage, KafkaClients kafka,
			ObjectProvider<RegistryClient> registry, BackupProperties properties) {
		this.jobs = jobs;
		this.backupJob = backupJob;
		this.storage = storage;
		this.kafka = kafka;
		this.registry = registry.getIfAvailable();
		this.properties = properties;
	}

	/**
	 * Runs the backup with the given id (or resumes the newest interrupted one, or starts a new one
	 * named by the current UTC time) and returns its finished execution. A new backup is full or
	 * incremental as {@link IncrementalBase} decides; a resumed one stays what it was.
	 * @throws BackupRefusedException when the backup must not start; nothing is written then
	 */
	public JobExecution run(Optional<String> requestedId, IncrementalBase.Request request) {
		TopicSelection selection = checkConfiguration();
		try (StorageLock lock = this.storage.lock("backup")) {
			BackupDirectory backup = requestedId.map(this.storage::backup).orElseGet(this::resumableOrNew);
			JobExecution previous = restartableExecution(backup);
			String clusterId = checkKafka(selection, previous == null);
			checkRegistry();
			if (previous != null) {
				return this.jobs.resume(previous);
			}
			IncrementalBase.Choice choice = IncrementalBase.choose(request, this.storage, this.properties.selection(),
					clusterId, this.properties.backup().fullEvery(), Instant.now());
			if (choice.incremental()) {
				log.info("Backup {} is incremental: it continues {}", backup.id(), choice.base().id());
			}
			else {
				log.info("Backup {} is full: {}", backup.id(), choice.whyFull());
			}
			JobParametersBuilder parameters = new JobParametersBuilder(parameters(backup));
			if (choice.incremental()) {
				parameters.addString(BackupJobConfiguration.BASE_ID, choice.base().id(), false);
			}
			return this.jobs.start(this.backupJob, parameters.toJobParameters());
		}
	}

	private TopicSelection checkConfiguration() {
		String problem = configurationProblem(this.properties, this.registry != null);
		if (problem != null) {
			throw new BackupRefusedException(problem);
		}
		return new TopicSelection(this.properties.topics());
	}

	/**
	 * What keeps a backup with these settings from starting, or null: no topic selected, Avro topics
	 * without a registry, a consumer-group pattern that is not a regular expression. The command line
	 * asks before the application starts, so that such a mistake creates no file at all.
	 */
	public static String configurationProblem(BackupProperties properties, boolean registryConfigured) {
		if (new TopicSelection(properties.topics()).isEmpty()) {
			return "No topics are selected: set kafka-dr.topics.avro and/or kafka-dr.topics.raw (regular expressions"
					+ " matching whole topic names), for example --kafka-dr.topics.avro=postgres\\.public\\..*"
					+ " --kafka-dr.topics.raw=connect-.*,_schemas";
		}
		if (!properties.topics().avro().isEmpty() && !registryConfigured) {
			return "kafka-dr.topics.avro selects Avro topics but kafka-dr.registry.url is not set; decoding Avro needs the"
					+ " Schema Registry the records were written with. Set kafka-dr.registry.url.";
		}
		for (String group : properties.consumerGroups()) {
			try {
				Pattern.compile(group);
			}
			catch (PatternSyntaxException ex) {
				return "kafka-dr.consumer-groups holds '" + group + "', which is not a regular expression: "
						+ ex.getDescription() + ".";
			}
		}
		return null;
	}

	/**
	 * The incomplete backup whose last run started most recently, if that was within the resume
	 * window and it can be resumed; otherwise a new backup named by the current UTC time. A backup
	 * that can never complete (retention deleted records it had yet to read) is marked abandoned
	 * on the way, with the reason in the log and in {@code history}.
	 */
	private BackupDirectory resumableOrNew() {
		LocalDateTime cutoff = LocalDateTime.now().minus(this.properties.backup().resumeWindow());
		BackupDirectory newest = null;
		LocalDateTime newestStart = cutoff;
		for (BackupDirectory candidate : this.storage.backups()) {
			JobExecution last = candidate.isComplete() ? null : lastExecution(candidate);
			if (last != null && last.getStatus() != BatchStatus.ABANDONED && last.getStatus() != BatchStatus.COMPLETED
					&& last.getCreateTime().isAfter(cutoff) && cannotComplete(last)) {
				this.jobs.abandon(last);
				log.warn("The backup {} can never complete, so it is marked abandoned and a new backup starts: {}",
						candidate.id(), rangeDeleted(last));
				continue;
			}
			if (last != null && last.getStatus() != BatchStatus.ABANDONED && last.getStatus() != BatchStatus.COMPLETED
					&& last.getCreateTime().isAfter(newestStart)) {
				newest = candidate;
				newestStart = last.getCreateTime();
			}
		}
		if (newest != null) {
			log.info("Resuming the interrupted backup {} (give --backup-id to start a new one instead)", newest.id());
			return newest;
		}
		String id = DEFAULT_ID.format(Instant.now());
		return this.storage.backup(this.storage.backup(id).exists() ? id + "-" + ProcessHandle.current().pid() : id);
	}

	/** Whether a partition of this failed execution found records it had yet to read deleted by retention. */
	private static boolean cannotComplete(JobExecution execution) {
		return execution.getStatus() == BatchStatus.FAILED && rangeDeleted(execution) != null;
	}

	private static String rangeDeleted(JobExecution execution) {
		// By simple name: job repositories of earlier releases hold it under its former package, io.kafkadr.backup.
		String name = RangeDeletedException.class.getSimpleName();
		return execution.getStepExecutions()
			.stream()
			.map(step -> step.getExitStatus().getExitDescription())
			.filter(description -> description != null && description.contains(name))
			.findFirst()
			.map(description -> description.substring(description.indexOf(name)).lines().findFirst().orElse(description))
			.orElse(null);
	}

	private static JobParameters parameters(BackupDirectory backup) {
		return new JobParametersBuilder().addString(BackupJobConfiguration.BACKUP_ID, backup.id()).toJobParameters();
	}

	private JobExecution lastExecution(BackupDirectory backup) {
		return this.jobs.lastExecution(BackupJobConfiguration.JOB_NAME, parameters(backup));
	}

	/**
	 * The execution to restart for this id, null for a new backup; refuses ids that cannot be used.
	 * A backup whose manifest exists but whose job never recorded its end (killed right after the
	 * manifest was written) is restarted too: its seal step runs again and the job completes.
	 */
	private JobExecution restartableExecution(BackupDirectory backup) {
		JobExecution last = lastExecution(backup);
		if ((last == null || last.getStatus() == BatchStatus.COMPLETED) && backup.isComplete()) {
			throw new BackupRefusedException("The backup " + backup.id() + " already exists and is complete ("
					+ backup.location() + "). Choose another --backup-id, or leave it out to name the backup by the time.");
		}
		if (last == null) {
			if (backup.exists()) {
				throw new BackupRefusedException("The directory " + backup.location() + " exists but the job repository has no"
						+ " backup " + backup.id() + ", so nothing tells how far it got. Delete the directory, or choose"
						+ " another --backup-id.");
			}
			return null;
		}
		if (!backup.exists()) {
			throw new BackupRefusedException("The job repository knows backup " + backup.id() + " but its directory "
					+ backup.location() + " is gone. Choose another --backup-id.");
		}
		if (last.getStatus() == BatchStatus.ABANDONED) {
			throw new BackupRefusedException("The backup " + backup.id() + " was abandoned and cannot be resumed. Delete "
					+ backup.location() + " and start a new backup.");
		}
		return last;
	}

	/** Checks the cluster answers (and for a new backup that topics are selected); returns its id. */
	private String checkKafka(TopicSelection selection, boolean newBackup) {
		try {
			TopicInspector inspector = new TopicInspector(this.kafka.admin());
			String clusterId = inspector.clusterId();
			if (newBackup) {
				Map<String, TopicSnapshot.Kind> selected = selection.select(inspector.topicNames());
				if (selected.isEmpty()) {
					throw new BackupRefusedException("No topic on " + this.kafka.bootstrapServers() + " matches "
							+ selection.describe() + ". Check the patterns: they match whole topic names. On a cluster with"
							+ " ACLs, kafka-dr's user sees only the topics it may Describe (see the README, section Security).");
				}
			}
			return clusterId;
		}
		catch (BackupRefusedException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			throw this.kafka.failure(ex, message -> new BackupRefusedException(message, ex));
		}
	}

	private void checkRegistry() {
		if (this.registry != null) {
			try {
				this.registry.checkApi();
			}
			catch (RegistryUnavailableException ex) {
				throw ex;
			}
			catch (RuntimeException ex) {
				throw new BackupRefusedException(ex.getMessage(), ex);
			}
		}
	}

}
