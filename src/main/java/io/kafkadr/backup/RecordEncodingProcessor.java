package io.kafkadr.backup;

import io.kafkadr.archive.EncodedBlock;
import io.kafkadr.archive.RecordLineWriter;
import io.kafkadr.archive.WriterSchema;
import io.kafkadr.avro.WireFormat;
import io.kafkadr.kafka.RecordBlock;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/** Encodes a block of Kafka records as segment lines: Avro decoded to JSON in Avro topics, bytes kept exactly. */
public class RecordEncodingProcessor implements ItemProcessor<RecordBlock, EncodedBlock> {

	private final RecordLineWriter lines;

	public RecordEncodingProcessor(boolean avroTopic, WireFormat prefixFormat, WriterSchema.Lookup schemas,
			boolean strict) {
		this.lines = new RecordLineWriter(avroTopic, prefixFormat, schemas, strict);
	}

	@Override
	public EncodedBlock process(RecordBlock block) {
		return this.lines.encode(block.records());
	}

}
