package io.kafkadr.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A storage location in a local directory (a Kubernetes volume): keys are paths below it. Files and
 * directories it creates are owner-only ({@link OwnerOnly}); replaced files are written beside their
 * target and renamed over it; appended files are forced to disk on every append.
 */
public final class LocalObjectStore implements ObjectStore {

	/** kafka-dr's own directory in a location: locks, by default the job repository, deleted backups. */
	public static final String TOOL_DIRECTORY = ".kafka-dr";

	/** Where {@link #deleteAll} moves a directory before deleting its files. */
	private static final String TRASH = TOOL_DIRECTORY + "/deleted";

	private final Path root;

	public LocalObjectStore(Path root) {
		this.root = root.toAbsolutePath().normalize();
	}

	/** The directory. */
	public Path root() {
		return this.root;
	}

	/** The file of a key. */
	public Path file(String key) {
		return this.root.resolve(key);
	}

	@Override
	public String describe(String key) {
		return file(key).toString();
	}

	@Override
	public boolean exists(String key) {
		return Files.isRegularFile(file(key));
	}

	@Override
	public long size(String key) {
		try {
			return Files.size(file(key));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file(key), ex);
		}
	}

	@Override
	public List<StoredObject> list(String prefix) {
		int slash = prefix.lastIndexOf('/');
		Path directory = (slash < 0) ? this.root : file(prefix.substring(0, slash));
		if (!Files.isDirectory(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.walk(directory)) {
			List<StoredObject> objects = new ArrayList<>();
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				String key = key(file);
				if (key.startsWith(prefix)) {
					objects.add(new StoredObject(key, file.toFile().length(),
							Files.getLastModifiedTime(file).toInstant()));
				}
			}
			objects.sort(Comparator.comparing(StoredObject::key));
			return objects;
		}
		catch (NoSuchFileException ex) {
			// a file deleted while listing (a leftover cleaned up by another step) was never listed
			return list(prefix);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list " + directory, ex);
		}
	}

	@Override
	public List<String> directories(String prefix) {
		Path directory = prefix.isEmpty() ? this.root : file(prefix);
		if (!Files.isDirectory(directory)) {
			return List.of();
		}
		try (Stream<Path> children = Files.list(directory)) {
			return children.filter(Files::isDirectory).map(child -> child.getFileName().toString()).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list " + directory, ex);
		}
	}

	@Override
	public InputStream read(String key) {
		try {
			return Files.newInputStream(file(key));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file(key), ex);
		}
	}

	@Override
	public void write(String key, byte[] content) {
		Path target = file(key);
		try {
			OwnerOnly.directories(target.getParent());
			Path temp = Files.createTempFile(target.getParent(), TEMPORARY_PREFIX, ".part");
			try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
				write(channel, content, 0, content.length);
			}
			try {
				Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException | FileAlreadyExistsException ex) {
				Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + target, ex);
		}
	}

	@Override
	public void extend(String key, byte[] bytes) {
		Path file = file(key);
		try {
			OwnerOnly.directories(file.getParent());
			try (FileChannel channel = OwnerOnly.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.APPEND)) {
				write(channel, bytes, 0, bytes.length);
				channel.force(false);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + file, ex);
		}
	}

	@Override
	public void delete(String key) {
		try {
			Files.deleteIfExists(file(key));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete " + file(key), ex);
		}
	}

	@Override
	public void deleteAll(String prefix) {
		Path directory = file(prefix);
		Path trash = file(TRASH);
		try {
			OwnerOnly.directories(trash);
			if (Files.isDirectory(directory)) {
				Files.move(directory, trash.resolve(directory.getFileName() + "-" + System.nanoTime()),
						StandardCopyOption.ATOMIC_MOVE);
			}
			try (Stream<Path> leftovers = Files.list(trash)) {
				for (Path leftover : leftovers.toList()) {
					deleteTree(leftover);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot delete " + directory, ex);
		}
	}

	private static void deleteTree(Path root) throws IOException {
		try (Stream<Path> files = Files.walk(root)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
	}

	@Override
	public AppendTarget append(String key, Append committed) {
		return new FileAppend(file(key), committed.bytes());
	}

	/** Nothing to do: every append went straight into the file. */
	@Override
	public void complete(String key, Append finished) {
	}

	/** None: an append here is a file from its first byte, which {@link #list} shows. */
	@Override
	public List<String> unfinishedAppends(String prefix) {
		return List.of();
	}

	@Override
	public void discard(String key) {
		delete(key);
	}

	/** Nothing to check: the operating system holds a file lock until its process dies. */
	@Override
	public void requireLocksHeld() {
	}

	@Override
	public void checkWritable() {
		try {
			Path tool = file(TOOL_DIRECTORY);
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
			throw new StorageException("The storage location " + this.root + " is not writable (" + ex
					+ "). Point kafka-dr.storage.location at a directory this user can write, or fix its permissions.");
		}
	}

	/** An operating-system file lock on {@code .kafka-dr/<purpose>.lock}, released by a process that dies. */
	@Override
	public StorageLock lock(String purpose, String holder) {
		return FileStorageLock.acquire(this.root, purpose, holder);
	}

	private String key(Path file) {
		return this.root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
	}

	private static void write(FileChannel channel, byte[] bytes, int offset, int length) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
		while (buffer.hasRemaining()) {
			channel.write(buffer);
		}
	}

	/** A file appended to in place, forced on every append; opening it cuts it back to the committed length. */
	private static final class FileAppend implements AppendTarget {

		private final Path file;

		private final FileChannel channel;

		private long length;

		FileAppend(Path file, long committedLength) {
			this.file = file;
			try {
				OwnerOnly.directories(file.getParent());
				this.channel = OwnerOnly.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
				long size = this.channel.size();
				if (size < committedLength) {
					this.channel.close();
					throw new StorageException("The file " + file + " holds " + size + " bytes but its last committed chunk"
							+ " ended at " + committedLength + ": the storage lost data that was written and forced. Delete"
							+ " the backup directory and take a new backup.");
				}
				this.channel.truncate(committedLength);
				this.channel.position(committedLength);
				this.length = committedLength;
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot open " + file, ex);
			}
		}

		@Override
		public Append append(byte[] bytes, int offset, int length) {
			try {
				write(this.channel, bytes, offset, length);
				this.channel.force(false);
				this.length += length;
				return position();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot write " + this.file, ex);
			}
		}

		@Override
		public Append position() {
			return new Append(this.length, null);
		}

		@Override
		public Append finish() {
			return position();
		}

		@Override
		public void close() {
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot close " + this.file, ex);
			}
		}

	}

}
