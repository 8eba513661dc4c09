package io.kafkadr.archive;

/**
 * Consecutive records of one partition encoded as segment lines: the lines one after another (the
 * first {@code length} bytes of {@code lines}), each record's content digest
 * ({@link ContentDigest#LENGTH} bytes each, in order), and how many records have a key or value kept
 * undecoded. The lines are the encoder's own buffer, valid until it encodes the next block: a block
 * is written before the next one is read.
 */
public record EncodedBlock(long firstOffset, long lastOffset, int records, byte[] lines, int length, byte[] digests,
		int undecodedRecords) {
}
