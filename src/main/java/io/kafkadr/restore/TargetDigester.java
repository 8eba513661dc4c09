package io.kafkadr.restore;

import io.kafkadr.archive.ContentDigest;
import io.kafkadr.avro.ConfluentWireFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The content digest of records read back from the target, computed as the backup computed it
 * from the source (see {@link ContentDigest}): an Avro payload counts by its writer schema's
 * fingerprint, found from the target id, so the registry ids a restore changed do not matter.
 */
class TargetDigester {

	private final boolean avroTopic;

	private final SchemaIdMapping ids;

	private final ContentDigest digest = new ContentDigest();

	private String problem;

	TargetDigester(boolean avroTopic, SchemaIdMapping ids) {
		this.avroTopic = avroTopic;
		this.ids = ids;
	}

	/** The next chain value after this record. */
	byte[] chain(byte[] previous, ConsumerRecord<byte[], byte[]> record) {
		this.digest.begin(record.timestamp());
		payload(record.key(), this.avroTopic, record);
		payload(record.value(), this.avroTopic, record);
		Header[] headers = record.headers().toArray();
		this.digest.headerCount(headers.length);
		for (Header header : headers) {
			this.digest.headerName(header.key());
			payload(header.value(), false, record);
		}
		return this.digest.chain(previous, this.digest.finish());
	}

	/** The first record whose Avro schema id this restore did not register, or null. */
	String problem() {
		return this.problem;
	}

	private void payload(byte[] bytes, boolean avro, ConsumerRecord<?, ?> record) {
		if (bytes == null) {
			this.digest.nullPayload();
		}
		else if (avro && ConfluentWireFormat.matches(bytes)) {
			int id = ConfluentWireFormat.schemaId(bytes);
			String fingerprint = this.ids.fingerprint(id);
			if (fingerprint == null && this.problem == null) {
				this.problem = "the record at offset " + record.offset() + " carries schema id " + id
						+ ", which this restore did not register";
			}
			this.digest.avro((fingerprint != null) ? fingerprint : "unknown-schema-id-" + id, bytes,
					ConfluentWireFormat.HEADER_LENGTH, bytes.length - ConfluentWireFormat.HEADER_LENGTH);
		}
		else {
			this.digest.bytes(bytes, 0, bytes.length);
		}
	}

}
