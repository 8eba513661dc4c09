package io.kafkadr.restore;

import java.util.ArrayList;
import java.util.List;

import io.kafkadr.archive.ArchivedRecord;
import io.kafkadr.archive.DatumEncoder;
import io.kafkadr.archive.Payload;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Turns a backed-up record into the record to produce: same partition, timestamp, key, value and
 * headers; an Avro payload is re-encoded from its JSON with its own writer schema and framed as it
 * was, with the schema's id in the target registry (its original id unless the user accepted new
 * ones), so its bytes equal the original's.
 */
public class RecordReencoder {

	private final String targetTopic;

	private final DatumEncoder datums;

	private final SchemaIdMapping ids;

	public RecordReencoder(String targetTopic, DatumEncoder datums, SchemaIdMapping ids) {
		this.targetTopic = targetTopic;
		this.datums = datums;
		this.ids = ids;
	}

	public ProducerRecord<byte[], byte[]> encode(ArchivedRecord record) {
		List<Header> headers = new ArrayList<>(record.headers().size());
		record.headers().forEach(header -> headers.add(new RecordHeader(header.name(), header.value())));
		return new ProducerRecord<>(this.targetTopic, record.partition(), record.timestamp(), bytes(record.key()),
				bytes(record.value()), headers);
	}

	private byte[] bytes(Payload payload) {
		return switch (payload) {
			case null -> null;
			case Payload.Bytes bytes -> bytes.bytes();
			case Payload.Avro avro -> avro.wire().encode(this.ids.targetId(avro), this.datums.datum(avro));
		};
	}

}
