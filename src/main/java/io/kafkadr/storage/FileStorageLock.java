package io.kafkadr.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * A local location's lock: an operating-system file lock on {@code .kafka-dr/<purpose>.lock}, so a
 * process that dies (even by SIGKILL) releases it.
 */
final class FileStorageLock implements StorageLock {

	private final FileChannel channel;

	private final FileLock lock;

	private FileStorageLock(FileChannel channel, FileLock lock) {
		this.channel = channel;
		this.lock = lock;
	}

	/**
	 * Takes the lock for one kind of run ({@code purpose} names the lock file); {@code holder} says
	 * who holds it, for whoever is refused.
	 */
	static FileStorageLock acquire(Path location, String purpose, String holder) {
		// One lock per kind of run: a restore drill may read a location while its nightly backup writes.
		Path file = location.resolve(LocalObjectStore.TOOL_DIRECTORY).resolve(purpose + ".lock");
		FileChannel channel = null;
		try {
			OwnerOnly.directories(file.getParent());
			channel = OwnerOnly.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
			FileLock lock = tryLock(channel);
			if (lock == null) {
				String current = readHolder(channel);
				channel.close();
				throw new StorageException("Another kafka-dr " + purpose + " holds the storage location " + location + " ("
						+ current + "). Wait for it to finish; two runs of a kind never share a location at once. If no"
						+ " such run exists any more, its process is still alive somewhere: find and stop it.");
			}
			channel.truncate(0);
			String held = holder + ", pid " + ProcessHandle.current().pid() + ", since " + Instant.now();
			channel.write(ByteBuffer.wrap(held.getBytes(StandardCharsets.UTF_8)), 0);
			return new FileStorageLock(channel, lock);
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw new StorageException("Cannot lock the storage location " + location + ": " + ex, ex);
		}
	}

	private static FileLock tryLock(FileChannel channel) throws IOException {
		try {
			return channel.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			// this JVM already holds it
			return null;
		}
	}

	private static String readHolder(FileChannel channel) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(512);
		int read = channel.read(buffer, 0);
		return (read > 0) ? new String(buffer.array(), 0, read, StandardCharsets.UTF_8) : "holder unknown";
	}

	private static void closeQuietly(FileChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ignored) {
				// the lock attempt already failed; its cause is what the user needs
			}
		}
	}

	@Override
	public void close() {
		try {
			this.lock.release();
			this.channel.close();
		}
		catch (IOException ex) {
			throw new StorageException("Cannot release the storage lock: " + ex, ex);
		}
	}

}
