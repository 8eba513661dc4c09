package io.kafkadr.archive;

/**
 * What a restore needs to know of a backed-up record before it writes anything: its timestamp, and
 * whether its key or value is Avro framed with an Apicurio global or content id.
 */
public record RecordOutline(long timestamp, boolean apicurioId) {
}
