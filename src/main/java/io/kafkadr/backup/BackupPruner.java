package io.kafkadr.backup;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.execution.JobInstanceRunner;
import io.kafkadr.storage.StorageException;
import io.kafkadr.storage.StorageLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.stereotype.Component;

/**
 * Deletes the backups a {@link RetentionPolicy} does not keep.
 *
 * <ul>
 * <li>Complete backups, full or incremental, are restore points ranked by completion time. The
 * newest is always kept, and so is the backup a running job has just sealed; the others go when no
 * rule keeps them.</li>
 * <li>Chains stay whole: a backup that a kept backup (complete, or incomplete and kept) continues
 * is kept too, back to the full backup, since an incremental is restored with its whole chain. A
 * backup whose manifest cannot be read is left alone.</li>
 * <li>Incomplete backups never count towards {@code keep} and only {@code olderThan} deletes them:
 * when nothing has been written to them for that long (their job's last step activity, or their
 * files' when the job repository does not know them) and the next {@code backup} would not resume
 * them by itself (their last run started outside {@code kafka-dr.backup.resume-window}). Until then
 * they are listed with the command that resumes them.</li>
 * <li>Nothing is deleted while another backup or a restore uses the location (their locks): a
 * restore drill typically reads exactly the older backups that retention deletes.</li>
 * </ul>
 * The job repository keeps the history of deleted backups.
 */
@Component
public class BackupPruner {

	private static final Logger log = LoggerFactory.getLogger(BackupPruner.class);

	private static final String HOLDER = "prune";

	private final BackupStorage storage;

	private final JobInstanceRunner jobs;

	private final Duration resumeWindow;

	public BackupPruner(BackupStorage storage, JobInstanceRunner jobs, BackupProperties properties) {
		this.storage = storage;
		this.jobs = jobs;
		this.resumeWindow = properties.backup().resumeWindow();
	}

	/** What the policy would delete now; deletes nothing and takes no lock. */
	public PrunePlan plan(RetentionPolicy policy) {
		return plan(policy, null, Instant.now());
	}

	/**
	 * Deletes what the policy does not keep, holding the backup and restore locks.
	 * @throws StorageException when a backup or a restore holds the location; nothing is deleted
	 */
	public PrunePlan prune(RetentionPolicy policy) {
		try (StorageLock backups = this.storage.lock("backup", HOLDER);
				StorageLock restores = this.storage.lock("restore", HOLDER)) {
			return delete(plan(policy, null, Instant.now()));
		}
	}

	/**
	 * Prunes from within the backup job, which holds the backup lock: never deletes the backup it
	 * has just sealed, and deletes nothing while a restore holds the location.
	 */
	PrunePlan pruneAfterSeal(RetentionPolicy policy, String sealedBackupId) {
		PrunePlan plan = plan(policy, sealedBackupId, Instant.now());
		if (plan.deleted().isEmpty()) {
			return plan;
		}
		try (StorageLock restores = this.storage.lock("restore", HOLDER)) {
			return delete(plan);
		}
		catch (StorageException ex) {
			log.warn("Pruning skipped while a restore uses the storage location; the next backup prunes. ({})",
					ex.getMessage());
			return plan.skip("kept for now: a restore holds the storage location");
		}
	}

	private PrunePlan delete(PrunePlan plan) {
		for (PrunePlan.Decision decision : plan.deletionOrder()) {
			this.storage.delete(this.storage.backup(decision.backupId()));
			log.info("Pruned backup {}: {}", decision.backupId(), decision.reason());
		}
		return plan;
	}

	PrunePlan plan(RetentionPolicy policy, String sealedBackupId, Instant now) {
		Map<String, PrunePlan.Decision> decisions = new TreeMap<>();
		List<Completed> completed = new ArrayList<>();
		for (BackupDirectory backup : this.storage.backups()) {
			if (!backup.isComplete()) {
				decisions.put(backup.id(), incomplete(backup, policy, now));
				continue;
			}
			try {
				Manifest manifest = backup.manifest();
				completed.add(new Completed(backup.id(), manifest.completedAt(), manifest.type(),
						manifest.incremental() ? manifest.base().backupId() : null));
			}
			catch (RuntimeException ex) {
				decisions.put(backup.id(), new PrunePlan.Decision(backup.id(), "complete", null, null, null, false,
						"left alone: its manifest cannot be read (" + ex.getMessage() + ")"));
			}
		}
		// Every complete backup is a restore point, full or incremental, and ranks as one.
		completed.sort(Comparator.comparing(Completed::at).thenComparing(Completed::id).reversed());
		for (int rank = 0; rank < completed.size(); rank++) {
			Completed backup = completed.get(rank);
			decisions.put(backup.id(), complete(backup, rank, policy, sealedBackupId, now));
		}
		keepBases(decisions);
		return new PrunePlan(policy.describe(), List.copyOf(decisions.values()), null);
	}

	/**
	 * Keeps every backup that a kept backup continues, back to its full backup: a kept incremental
	 * cannot be restored without its whole chain. Incomplete backups that are kept count too, since
	 * resuming one continues the base it began with.
	 */
	private static void keepBases(Map<String, PrunePlan.Decision> decisions) {
		Deque<PrunePlan.Decision> kept = decisions.values()
			.stream()
			.filter(decision -> !decision.delete())
			.collect(Collectors.toCollection(ArrayDeque::new));
		while (!kept.isEmpty()) {
			PrunePlan.Decision dependent = kept.removeFirst();
			PrunePlan.Decision base = (dependent.base() != null) ? decisions.get(dependent.base()) : null;
			if (base != null && base.delete()) {
				PrunePlan.Decision keptBase = base
					.kept("kept: backup " + dependent.backupId() + ", which is kept, continues it");
				decisions.put(base.backupId(), keptBase);
				kept.addLast(keptBase);
			}
		}
	}

	private record Completed(String id, Instant at, String type, String base) {
	}

	private static PrunePlan.Decision complete(Completed backup, int rank, RetentionPolicy policy, String sealedBackupId,
			Instant now) {
		String keptBecause = backup.id().equals(sealedBackupId) ? "the backup this job has just sealed"
				: policy.keptBecause(rank, Duration.between(backup.at(), now));
		return new PrunePlan.Decision(backup.id(), "complete", backup.type(), backup.base(), backup.at(),
				keptBecause == null, (keptBecause != null) ? keptBecause : policy.deletedBecause());
	}

	private PrunePlan.Decision incomplete(BackupDirectory backup, RetentionPolicy policy, Instant now) {
		JobExecution last = this.jobs.lastExecution(BackupJobConfiguration.JOB_NAME,
				new JobParametersBuilder().addString(BackupJobConfiguration.BACKUP_ID, backup.id()).toJobParameters());
		Instant activity = (last != null) ? lastActivity(last) : backup.lastModified();
		String base = backup.topicsBase();
		if (base == null && last != null) {
			// Before its topics step has run, only the job's parameters name the base it will continue.
			base = last.getJobParameters().getString(BackupJobConfiguration.BASE_ID);
		}
		String resume = "resume it with `kafka-dr backup --backup-id " + backup.id() + "`";
		String reason;
		boolean delete = false;
		if (policy.olderThan() == null) {
			reason = "incomplete: only --older-than deletes incomplete backups; " + resume;
		}
		else if (last != null && resumable(last)
				&& instant(last.getCreateTime()).isAfter(now.minus(this.resumeWindow))) {
			reason = "incomplete: the next `kafka-dr backup` resumes it (kafka-dr.backup.resume-window)";
		}
		else if (Duration.between(activity, now).compareTo(policy.olderThan()) < 0) {
			reason = "incomplete, written to within " + RetentionPolicy.words(policy.olderThan()) + "; " + resume;
		}
		else {
			delete = true;
			reason = "incomplete, nothing written for longer than " + RetentionPolicy.words(policy.olderThan())
					+ ", and no backup resumes it by itself";
		}
		return new PrunePlan.Decision(backup.id(), "incomplete", null, base, activity, delete, reason);
	}

	private static boolean resumable(JobExecution last) {
		return last.getStatus() != BatchStatus.ABANDONED && last.getStatus() != BatchStatus.COMPLETED;
	}

	/** The latest time the job or any of its steps recorded anything (steps record every chunk). */
	private static Instant lastActivity(JobExecution last) {
		Stream<LocalDateTime> job = Stream.of(last.getCreateTime(), last.getStartTime(), last.getEndTime(),
				last.getLastUpdated());
		Stream<LocalDateTime> steps = last.getStepExecutions()
			.stream()
			.flatMap(s -> Stream.of(s.getStartTime(), s.getEndTime(), s.getLastUpdated()));
		return Stream.concat(job, steps).filter(Objects::nonNull).max(Comparator.naturalOrder()).map(BackupPruner::instant)
			.orElse(Instant.EPOCH);
	}

	private static Instant instant(LocalDateTime time) {
		return time.atZone(ZoneId.systemDefault()).toInstant();
	}

}
