package io.kafkadr.kafka;

import java.time.Duration;

/**
 * Where {@link KafkaPartitionReader} ends a block (and a backup partition commits): after
 * {@code records} records, {@code bytes} bytes of keys, values and headers, or {@code interval} after
 * the block began, whichever comes first.
 */
public record ChunkLimits(int records, long bytes, Duration interval) {
}
