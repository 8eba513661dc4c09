package io.kafkadr.kafka;

import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Consecutive records of one partition that the backup commits together, and their Kafka bytes
 * (keys, values, headers): the item of a partition step, so that the framework's per-item work is
 * paid once per commit rather than once per record.
 */
public record RecordBlock(List<ConsumerRecord<byte[], byte[]>> records, long bytes) {
}
