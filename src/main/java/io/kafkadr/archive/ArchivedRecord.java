package io.kafkadr.archive;

import java.util.List;

import org.apache.kafka.common.record.TimestampType;

/** One Kafka record as read back from a backup segment. */
public record ArchivedRecord(int partition, long offset, long timestamp, TimestampType timestampType, Payload key,
		Payload value, List<Header> headers) {

	/** A record header; order and repeated names are kept, and the value may be null. */
	public record Header(String name, byte[] value) {
	}

}
