package io.kafkadr.archive;

/**
 * A record encoded as one line of a segment, with its offset, its content digest, and whether a key
 * or value of it was kept undecoded.
 */
public record EncodedRecord(long offset, byte[] line, byte[] digest, boolean undecoded) {

	public EncodedRecord(long offset, byte[] line, byte[] digest) {
		this(offset, line, digest, false);
	}

}
