package io.kafkadr.kafka;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Consecutive records of one partition, read together, and their Kafka bytes (keys, values,
 * headers): the item of a backup partition step, committed together so that the framework's
 * per-item work is paid once per commit rather than once per record; validation reads a restored
 * topic back in the same blocks.
 */
public record RecordBlock(List<ConsumerRecord<byte[], byte[]>> records, long bytes) {
}
