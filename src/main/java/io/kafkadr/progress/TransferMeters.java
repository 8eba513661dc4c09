package io.kafkadr.progress;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * kafka-dr's own metrics: records and bytes (keys, values and headers) moved per operation
 * ({@code backup} or {@code restore}) and topic, in Prometheus {@code kafka_dr_records_total} and
 * {@code kafka_dr_bytes_total}, and the records backed up undecoded per topic,
 * {@code kafka_dr_undecoded_records_total}. Counted when a chunk is written, before its commit: a chunk that
 * fails to commit is written again by the next run and counted again there.
 */
public final class TransferMeters {

	private final MeterRegistry registry;

	public TransferMeters(MeterRegistry registry) {
		this.registry = registry;
	}

	Counter records(String operation, String topic) {
		return Counter.builder("kafka.dr.records")
			.description("Records backed up or restored")
			.tag("operation", operation)
			.tag("topic", topic)
			.register(this.registry);
	}

	/** Records of a topic backed up with a key or value kept undecoded (bytes and the reason). */
	public Counter undecoded(String topic) {
		return Counter.builder("kafka.dr.undecoded.records")
			.description("Records backed up with a key or value that could not be decoded, kept byte for byte")
			.tag("topic", topic)
			.register(this.registry);
	}

	Counter bytes(String operation, String topic) {
		return Counter.builder("kafka.dr.bytes")
			.description("Bytes of keys, values and headers backed up or restored")
			.baseUnit("bytes")
			.tag("operation", operation)
			.tag("topic", topic)
			.register(this.registry);
	}

}
