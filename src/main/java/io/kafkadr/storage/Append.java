package io.kafkadr.storage;

/**
 * Where an object being appended to stands, as a committed chunk records it: its length, and for a
 * store that assembles objects from parts (S3's multipart upload) what it needs to go on after a
 * restart, opaque to everyone else (null on a local directory).
 */
public record Append(long bytes, String upload) {

	/** A new object. */
	public static final Append EMPTY = new Append(0, null);

}
