package io.kafkadr.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates the directories and files kafka-dr writes to a local storage location readable by their
 * owner only (0700 and 0600): segments hold every change event of every table. Where the file
 * system has no POSIX permissions the platform's defaults apply.
 */
public final class OwnerOnly {

	private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

	private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

	private OwnerOnly() {
	}

	/** Creates a directory and its missing parents, each owner-only; existing ones are left as they are. */
	public static Path directories(Path directory) throws IOException {
		return posix(directory) ? Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY))
				: Files.createDirectories(directory);
	}

	/** Opens a file channel; a file it creates is owner-only. */
	public static FileChannel open(Path file, OpenOption... options) throws IOException {
		Set<OpenOption> set = Set.of(options);
		return posix(file) ? FileChannel.open(file, set, PosixFilePermissions.asFileAttribute(FILE))
				: FileChannel.open(file, set, new FileAttribute<?>[0]);
	}

	/**
	 * Makes an existing file or directory of kafka-dr's owner-only (one another program created for
	 * it, or an older release). Best effort: one this user does not own stays as it is.
	 */
	public static void restrict(Path path) {
		if (posix(path) && Files.exists(path)) {
			try {
				Files.setPosixFilePermissions(path, Files.isDirectory(path) ? DIRECTORY : FILE);
			}
			catch (IOException ex) {
				// not ours to change; whoever made it chose its permissions
			}
		}
	}

	private static boolean posix(Path path) {
		return path.getFileSystem().supportedFileAttributeViews().contains("posix");
	}

}
