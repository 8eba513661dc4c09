package io.kafkadr.archive;

import io.kafkadr.storage.OwnerOnly;
import io.kafkadr.storage.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage location that holds backups: one directory per backup id, plus the tool's own
 * {@code .kafka-dr} directory (lock file and, by default, the H2 job repository).
 */
public final class BackupStorage {

	private static final Logger log = LoggerFactory.getLogger(BackupStorage.class);

	private static final Pattern BACKUP_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

	/** Where deleted backups go until their files are gone: {@code .kafka-dr/deleted}. */
	private static final String TRASH = "deleted";

	private final Path location;

	public BackupStorage(Path location) {
		this.location = location.toAbsolutePath().normalize();
	}

	/** The storage root. */
	public Path location() {
		return this.location;
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
		return new BackupDirectory(checkBackupId(id), this.location.resolve(id));
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
		return newestComplete().orElseThrow(() -> new StorageException("There is no complete backup in " + this.location
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
		if (!Files.isDirectory(this.location)) {
			return List.of();
		}
		try (Stream<Path> children = Files.list(this.location)) {
			List<BackupDirectory> backups = new ArrayList<>();
			children.filter(Files::isDirectory)
				.filter(dir -> BACKUP_ID.matcher(dir.getFileName().toString()).matches())
				.sorted(Comparator.comparing(Path::getFileName))
				.forEach(dir -> backups.add(new BackupDirectory(dir.getFileName().toString(), dir)));
			return backups;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Creates the location if needed and proves it writable, so that a backup fails before it
	 * reads anything rather than after.
	 */
	public void checkWritable() {
		try {
			Path tool = this.location.resolve(StorageLock.TOOL_DIRECTORY);
			OwnerOnly.directories(tool);
			// The job repository's files are H2's, created with the process's umask: the directory keeps them private.
			OwnerOnly.restrict(tool);
			try (Stream<Path> files = Files.list(tool)) {
				for (Path file : files.filter(Files::isRegularFile).toList()) {
					OwnerOnly.restrict(file);
				}
			}
			Path probe = Files.createTempFile(tool, "write-check", ".tmp");
			Files.delete(probe);
		}
		catch (IOException | SecurityException ex) {
			throw new StorageException("The storage location " + this.location + " is not writable (" + ex
					+ "). Point kafka-dr.storage.location at a directory this user can write, or fix its permissions.");
		}
	}

	/**
	 * Takes the location's lock, held until closed or until the process dies (the operating system
	 * releases it, so a killed backup never blocks the next one).
	 */
	public StorageLock lock(String purpose) {
		return lock(purpose, purpose);
	}

	/** Takes the lock of one kind of run ({@code purpose}) for another kind of work ({@code holder}). */
	public StorageLock lock(String purpose, String holder) {
		checkWritable();
		return StorageLock.acquire(this.location, purpose, holder);
	}

	/**
	 * Deletes a backup. Its directory is first moved out of the location in one atomic rename, so
	 * that a delete interrupted half way never leaves a backup that looks complete with files
	 * missing; the next delete finishes what an interrupted one left.
	 */
	public void delete(BackupDirectory backup) {
		Path trash = this.location.resolve(StorageLock.TOOL_DIRECTORY).resolve(TRASH);
		try {
			OwnerOnly.directories(trash);
			if (backup.exists()) {
				Files.move(backup.path(), trash.resolve(backup.id() + "-" + System.nanoTime()),
						StandardCopyOption.ATOMIC_MOVE);
			}
			try (Stream<Path> leftovers = Files.list(trash)) {
				for (Path leftover : leftovers.toList()) {
					deleteTree(leftover);
				}
			}
		}
		catch (IOException ex) {
			throw new StorageException("Cannot delete the backup " + backup.id() + " (" + ex + ")", ex);
		}
	}

	private static void deleteTree(Path root) throws IOException {
		try (Stream<Path> files = Files.walk(root)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
	}

}
