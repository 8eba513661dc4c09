package io.kafkadr.archive;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.kafkadr.encryption.KeyRing;
import io.kafkadr.storage.LocalObjectStore;
import io.kafkadr.storage.ObjectStore;
import io.kafkadr.storage.StorageException;
import io.kafkadr.storage.StorageLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage location that holds backups: one directory per backup id, plus, in a local
 * directory, the tool's own {@code .kafka-dr} directory (lock files and, by default, the H2 job
 * repository).
 */
public final class BackupStorage implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(BackupStorage.class);

	private static final Pattern BACKUP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

	private final ObjectStore store;

	private final KeyRing keys;

	/**
	 * @param keys encrypt the backups written and decrypt those read; {@link KeyRing#NONE} writes them
	 * in the clear
	 */
	public BackupStorage(ObjectStore store, KeyRing keys) {
		this.store = store;
		this.keys = keys;
	}

	/** A location in a local directory, without encryption keys. */
	public BackupStorage(Path location) {
		this(new LocalObjectStore(location), KeyRing.NONE);
	}

	/** The keys backups are encrypted and decrypted with. */
	public KeyRing keys() {
		return this.keys;
	}

	/** Where the location is, for messages: a directory, or an {@code s3://} URI. */
	public String location() {
		return this.store.describe("");
	}

	/** The location's directory, when it is a local one. */
	public Optional<Path> localDirectory() {
		return (this.store instanceof LocalObjectStore local) ? Optional.of(local.root()) : Optional.empty();
	}

	/** The objects of the location. */
	public ObjectStore store() {
		return this.store;
	}

	/** Throws a {@link StorageException} unless the id is safe as a directory name. */
	public static String checkBackupId(String id) {
		if (id == null || !BACKUP_ID.matcher(id).matches()) {
			throw new StorageException("'" + id + "' is not a valid backup id: use 1-128 letters, digits, '.', '_' or '-',"
					+ " starting with a letter or digit.");
		}
		return id;
	}

	/** The id that stands for the newest complete backup, for scheduled drills and restores. */
	public static final String LATEST = "latest";

	/** The backup with this id, whether or not it exists yet. */
	public BackupDirectory backup(String id) {
		return new BackupDirectory(checkBackupId(id), this.store, this.keys);
	}

	/**
	 * The backup with this id, or for {@value #LATEST} the complete backup that completed last
	 * among those whose manifest can be read (a damaged one is logged and passed over, so one bad
	 * file does not make every backup unusable).
	 * @throws StorageException for {@value #LATEST} when there is no complete backup
	 */
	public BackupDirectory existingBackup(String id) {
		if (!LATEST.equals(id)) {
			return backup(id);
		}
		return newestComplete().orElseThrow(() -> new StorageException("There is no complete backup in " + location()
				+ " for --backup-id " + LATEST + ". `kafka-dr backups` lists what is there."));
	}

	/**
	 * The complete backup that completed last among those whose manifest can be read; a damaged one
	 * is logged and passed over, so one bad file does not make every backup unusable.
	 */
	public Optional<BackupDirectory> newestComplete() {
		BackupDirectory latest = null;
		Instant latestCompletion = null;
		for (BackupDirectory backup : backups()) {
			if (!backup.isComplete()) {
				continue;
			}
			Instant completed;
			try {
				completed = backup.manifest().completedAt();
			}
			catch (StorageException ex) {
				log.warn("Passed over as the newest complete backup: {}", ex.getMessage());
				continue;
			}
			if (latestCompletion == null || completed.isAfter(latestCompletion)) {
				latest = backup;
				latestCompletion = completed;
			}
		}
		return Optional.ofNullable(latest);
	}

	/** Every backup in the location, oldest id first. */
	public List<BackupDirectory> backups() {
		return this.store.directories("")
			.stream()
			.filter(id -> BACKUP_ID.matcher(id).matches())
			.map(id -> new BackupDirectory(id, this.store, this.keys))
			.toList();
	}

	/**
	 * Creates the location if needed and proves it writable, so that a backup fails before it
	 * reads anything rather than after.
	 */
	public void checkWritable() {
		this.store.checkWritable();
	}

	/**
	 * Takes the location's lock, held until closed or until the process dies (a local directory's
	 * lock at once, an S3 location's after its lease), so a killed backup never blocks the next one
	 * for long ({@link ObjectStore#lock}).
	 */
	public StorageLock lock(String purpose) {
		return lock(purpose, purpose);
	}

	/** Takes the lock of one kind of run ({@code purpose}) for another kind of work ({@code holder}). */
	public StorageLock lock(String purpose, String holder) {
		checkWritable();
		return this.store.lock(purpose, holder);
	}

	/**
	 * Deletes a backup: its manifest first, so that a delete interrupted half way never leaves a
	 * backup that looks complete with files missing, then the rest ({@link ObjectStore#deleteAll});
	 * the next delete finishes what an interrupted one left.
	 */
	public void delete(BackupDirectory backup) {
		this.store.delete(backup.key(BackupDirectory.MANIFEST));
		this.store.deleteAll(backup.id() + "/");
	}

	/** Releases the store's connections, if it holds any (S3's HTTP client). */
	@Override
	public void close() {
		if (this.store instanceof AutoCloseable closeable) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				throw new IllegalStateException("Cannot close the storage location " + location(), ex);
			}
		}
	}

}
