package io.kafkadr.archive;

/** A record encoded as one line of a segment, with its offset and its content digest. */
public record EncodedRecord(long offset, byte[] line, byte[] digest) {
}
