package io.kafkadr.execution;

/**
 * The job names and job parameter names that more than one job, or the history, reads: a
 * persisted contract (the job repository keeps them across releases), named once here.
 */
public final class JobKeys {

	/** The backup job's name. */
	public static final String BACKUP_JOB = "backupJob";

	/** Backup and restore, identifying: the backup's id, which is also its directory's name. */
	public static final String BACKUP_ID = "backup.id";

	/** Backup, not identifying: the backup an incremental backup continues; absent for a full backup. */
	public static final String BACKUP_BASE = "backup.base";

	private JobKeys() {
	}

}
