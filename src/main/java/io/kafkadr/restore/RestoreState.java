package io.kafkadr.restore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import io.kafkadr.archive.ArchiveJson;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.execution.JobRepositoryProperties;
import io.kafkadr.storage.LocalObjectStore;
import io.kafkadr.storage.ObjectStore;
import io.kafkadr.storage.StorageException;
import io.kafkadr.storage.StorageLock;
import io.kafkadr.storage.StorageUnreachableException;
import org.springframework.stereotype.Component;

/**
 * Where a restore keeps what it writes besides its target: its lock and its validation report.
 * With {@code kafka-dr.job-repository.directory} set, both live in that directory beside the job
 * repository, so that a restore from a read-only location (a snapshot, a volume mounted read-only,
 * credentials that may only read the bucket) writes nothing into it. Otherwise they live in the
 * storage location, where {@code prune} sees the lock of a restore reading a backup it would delete.
 */
@Component
public class RestoreState {

	private static final String PURPOSE = "restore";

	private final BackupStorage storage;

	/** The job repository's directory as a store; null when the restore's state lives beside the backups. */
	private final ObjectStore own;

	public RestoreState(BackupStorage storage, JobRepositoryProperties jobRepository) {
		this.storage = storage;
		Path directory = (jobRepository != null) ? jobRepository.directory() : null;
		this.own = (directory != null) ? new LocalObjectStore(directory) : null;
	}

	/** Takes the lock that keeps two restores from one location, or from one job repository, apart. */
	public StorageLock lock() {
		if (this.own == null) {
			try {
				this.storage.checkWritable();
			}
			catch (StorageUnreachableException ex) {
				throw ex;
			}
			catch (StorageException ex) {
				throw new StorageException(ex.getMessage() + " " + JobRepositoryProperties.READ_ONLY_HINT, ex);
			}
			return this.storage.lock(PURPOSE);
		}
		this.own.checkWritable();
		return this.own.lock(PURPOSE, PURPOSE);
	}

	/** Writes the validation report of a restore of {@code backupId} into {@code cluster}; returns where it is. */
	public String writeReport(ValidationReport report) {
		String key = key(report.backupId(), report.targetCluster());
		ByteArrayOutputStream json = new ByteArrayOutputStream();
		ArchiveJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(json, report);
		json.write('\n');
		store().write(key, json.toByteArray());
		return store().describe(key);
	}

	/** The validation report of the restore of {@code backupId} into {@code cluster}. */
	public ValidationReport readReport(String backupId, String cluster) {
		String key = key(backupId, cluster);
		try (InputStream in = store().read(key)) {
			return ArchiveJson.MAPPER.readValue(in, ValidationReport.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + store().describe(key), ex);
		}
	}

	/** Where the validation report of the restore of {@code backupId} into {@code cluster} is, for messages. */
	public String reportLocation(String backupId, String cluster) {
		return store().describe(key(backupId, cluster));
	}

	private ObjectStore store() {
		return (this.own != null) ? this.own : this.storage.store();
	}

	private static String key(String backupId, String cluster) {
		return BackupStorage.checkBackupId(backupId) + "/" + ValidationReport.path(cluster);
	}

}
