package io.kafkadr.storage;

/**
 * An exclusive lock of one kind of run on a storage location ({@link ObjectStore#lock}), held until
 * closed or until its holder dies.
 */
public interface StorageLock extends AutoCloseable {

	/**
	 * Releases the lock, so that the next run of its kind may take it at once. A lock that was lost
	 * meanwhile (an S3 lease another run took over) is left to its new holder.
	 */
	@Override
	void close();

}
