package io.kafkadr.kafka;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** The bytes of a record's key, value and headers, the same whether it is read or written. */
public final class RecordSizes {

	private RecordSizes() {
	}

	public static long of(ConsumerRecord<byte[], byte[]> record) {
		return Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize())
				+ headers(record.headers());
	}

	public static long of(ProducerRecord<byte[], byte[]> record) {
		return length(record.key()) + length(record.value()) + headers(record.headers());
	}

	private static long headers(Headers headers) {
		long bytes = 0;
		for (Header header : headers) {
			bytes += header.key().getBytes(StandardCharsets.UTF_8).length + length(header.value());
		}
		return bytes;
	}

	private static long length(byte[] bytes) {
		return (bytes != null) ? bytes.length : 0;
	}

}
