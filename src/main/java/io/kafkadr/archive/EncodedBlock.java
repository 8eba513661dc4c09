package io.kafkadr.archive;

/**
 * Consecutive records of one partition encoded as segment lines: the lines one after another, each
 * record's content digest ({@link ContentDigest#LENGTH} bytes each, in order), and how many records
 * have a key or value kept undecoded.
 */
public record EncodedBlock(long firstOffset, long lastOffset, int records, byte[] lines, byte[] digests,
		int undecodedRecords) {
}
