package io.kafkadr.storage;

import java.io.InputStream;
import java.util.List;

/**
 * The bytes of one storage location, addressed by keys: '/'-separated names relative to the
 * location, such as {@code 2026-11-25T14-05-09Z/topics/orders/0/00000000000000000042.jsonl.zst}.
 * A location is a local directory ({@link LocalObjectStore}) or an S3 bucket and prefix; every
 * backup, verification and restore reads and writes through this, so they behave the same on both.
 *
 * <p>Failures to reach or use the storage are {@link java.io.UncheckedIOException}s (or a
 * {@link StorageException} where the store can say what to do), naming the key's
 * {@link #describe description}.
 */
public interface ObjectStore {

	/**
	 * How the names of objects a store writes on the way to another begin (a file written beside its
	 * target, a block staged for an upload): whatever such an object is left behind by a write that
	 * was interrupted is a leftover, which the next write of its target or the seal of its backup
	 * removes.
	 */
	String TEMPORARY_PREFIX = ".tmp-";

	/** Where a key is, for messages: a file path, or an {@code s3://} URI. Never holds a credential. */
	String describe(String key);

	/** Whether an object with this key exists. */
	boolean exists(String key);

	/** The object's size in bytes; a {@link java.io.UncheckedIOException} when it does not exist. */
	long size(String key);

	/**
	 * The objects whose keys start with {@code prefix} (a prefix ending in '/' lists a "directory"
	 * recursively), in key order.
	 */
	List<StoredObject> list(String prefix);

	/**
	 * The names of the "directories" directly under {@code prefix} ({@code ""} for the location's
	 * root, otherwise a prefix ending in '/'), in name order: the backup ids of a location.
	 */
	List<String> directories(String prefix);

	/** Streams an object's content; a {@link java.io.UncheckedIOException} when it does not exist. */
	InputStream read(String key);

	/** Replaces an object whole and atomically: a reader sees the old content or all of the new, never a part. */
	void write(String key, byte[] content);

	/**
	 * Appends bytes to a small object, creating it if needed; they are durable when this returns,
	 * and the object is readable with them at once. For bookkeeping that grows a line at a time: a
	 * local file is appended to in place, while an object store rewrites the object (it cannot
	 * append), so the object must stay small.
	 */
	void extend(String key, byte[] bytes);

	/** Deletes an object; one that does not exist is no error. */
	void delete(String key);

	/**
	 * Deletes every object under {@code prefix} (ending in '/'). Where the store can (a local
	 * directory), the objects leave their names in one atomic step first, so that an interrupted
	 * delete never leaves a part of them behind looking whole; a delete repeated after an
	 * interruption finishes it.
	 */
	void deleteAll(String prefix);

	/**
	 * Opens an object for appending, at the position a committed chunk recorded ({@link Append#EMPTY}
	 * for a new object), discarding whatever was appended after it by a chunk that never committed.
	 * What is appended is durable when {@link AppendTarget#append} returns, but it may become the
	 * object's readable content only once {@link #complete} has run (on S3: a multipart upload).
	 */
	AppendTarget append(String key, Append committed);

	/**
	 * Makes an appended object's content, as {@link AppendTarget#finish} left it, readable under
	 * its key. Call it once the position {@code finished} is committed; it may be called again, for
	 * an object it already completed, with no effect (a resumed job completes what a killed one
	 * may or may not have).
	 */
	void complete(String key, Append finished);

	/**
	 * The keys under {@code prefix} with an append that was started and neither completed nor
	 * discarded, and that {@link #list} does not show (S3: multipart uploads in progress; a local
	 * directory has none, its appends are files). A job uses it to find what a chunk that never
	 * committed began.
	 */
	List<String> unfinishedAppends(String prefix);

	/**
	 * Deletes an object together with anything an unfinished append of it left (S3: aborts its
	 * multipart uploads and deletes their staged blocks), so that nothing is left to bill forever.
	 */
	void discard(String key);

	/**
	 * Proves the location usable for writing (creating it where that is how stores work), so that a
	 * backup fails before it reads anything rather than after; the message names the problem and
	 * the fix.
	 */
	void checkWritable();

	/**
	 * Takes the location's lock for one kind of run, so that two runs of that kind never write into
	 * one location at once. The lock is exclusive per {@code purpose} per location: runs of different
	 * purposes (a backup and a restore drill) do not block each other, and a second lock of the same
	 * purpose is refused even within one process.
	 *
	 * <p>A holder that dies stops holding it without a {@link StorageLock#close}: at once for a local
	 * directory's file lock, which the operating system releases; for S3, after at most the lease
	 * ({@code kafka-dr.storage.s3.lock-lease}), which only a live holder renews.
	 * @param holder who takes it, written into the lock for whoever is refused
	 * @throws StorageException when another run holds it: the message names the holder (its process
	 * and since when) and says what to do
	 */
	StorageLock lock(String purpose, String holder);

	/**
	 * Refuses to go on writing when a lock this store gave is no longer held: an S3 lease that
	 * another run took over after this one could not renew it for a whole lease (a frozen process,
	 * a network cut off). A writer calls it before each chunk, so that two runs never go on writing
	 * one location together; a file lock cannot be lost.
	 * @throws StorageException naming the lock and what to do
	 */
	void requireLocksHeld();


}
