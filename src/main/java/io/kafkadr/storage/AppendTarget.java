package io.kafkadr.storage;

/** An object being written by appending blocks; see {@link ObjectStore#append}. */
public interface AppendTarget extends AutoCloseable {

	/** Appends the bytes; they are durable when this returns. Returns the position to record with the chunk. */
	Append append(byte[] bytes, int offset, int length);

	/** The position after the last append. */
	Append position();

	/**
	 * Ends the object: nothing more is appended. Returns the position for {@link ObjectStore#complete},
	 * which runs once that position is committed.
	 */
	Append finish();

	/** Releases what the target holds (a file, a buffer); does not end or complete the object. */
	@Override
	void close();

}
