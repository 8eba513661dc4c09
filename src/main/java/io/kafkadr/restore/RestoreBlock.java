package io.kafkadr.restore;

import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Consecutive records of one partition that the restore produces and commits together, and their
 * bytes (keys, values, headers): the item of a partition step, so that the framework's per-item work
 * is paid once per commit rather than once per record.
 */
record RestoreBlock(List<ProducerRecord<byte[], byte[]>> records, long bytes) {
}
