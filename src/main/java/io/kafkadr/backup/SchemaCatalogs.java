package io.kafkadr.backup;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.SchemaStore;
import io.kafkadr.registry.RegistryClient;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * One {@link SchemaCatalog} per running backup, so that all its partitions (each in its own step
 * and thread) share one cache and ask the registry once per schema id. Dropped when the job ends.
 */
public class SchemaCatalogs implements JobExecutionListener {

	private final RegistryClient registry;

	private final Map<String, SchemaCatalog> byBackup = new ConcurrentHashMap<>();

	public SchemaCatalogs(RegistryClient registry) {
		this.registry = registry;
	}

	public SchemaCatalog forBackup(BackupDirectory backup) {
		return this.byBackup.computeIfAbsent(backup.id(),
				id -> new SchemaCatalog(this.registry, new SchemaStore(backup)));
	}

	@Override
	public void afterJob(JobExecution jobExecution) {
		String backupId = jobExecution.getJobParameters().getString(BackupJobConfiguration.BACKUP_ID);
		if (backupId != null) {
			this.byBackup.remove(backupId);
		}
	}

}
