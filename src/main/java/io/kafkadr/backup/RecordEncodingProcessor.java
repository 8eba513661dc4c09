package io.kafkadr.backup;

import io.kafkadr.archive.EncodedRecord;
import io.kafkadr.archive.RecordLineWriter;
import io.kafkadr.archive.WriterSchema;
import io.kafkadr.avro.WireFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/** Encodes each Kafka record as a segment line: Avro decoded to JSON in Avro topics, bytes kept exactly. */
public class RecordEncodingProcessor implements ItemProcessor<ConsumerRecord<byte[], byte[]>, EncodedRecord> {

	private final RecordLineWriter lines;

	public RecordEncodingProcessor(boolean avroTopic, WireFormat prefixFormat, WriterSchema.Lookup schemas,
			boolean strict) {
		this.lines = new RecordLineWriter(avroTopic, prefixFormat, schemas, strict);
	}

	@Override
	public EncodedRecord process(ConsumerRecord<byte[], byte[]> record) {
		return this.lines.encode(record);
	}

}
