package io.kafkadr.archive;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.kafkadr.avro.AvroBinaryToJson;
import io.kafkadr.avro.ConfluentWireFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.core.JsonGenerator;

/**
 * Encodes Kafka records as segment lines (the format is in {@code docs/backup-format.md}). In an
 * Avro topic, keys and values in the Confluent wire format become readable JSON tagged with their
 * writer schema's fingerprint; everything else is kept byte for byte. One instance per thread.
 */
public final class RecordLineWriter {

	private final boolean avroTopic;

	private final WriterSchema.Lookup schemas;

	private final AvroBinaryToJson avro = new AvroBinaryToJson();

	private final ContentDigest digest = new ContentDigest();

	private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);

	private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
		.onMalformedInput(CodingErrorAction.REPORT)
		.onUnmappableCharacter(CodingErrorAction.REPORT);

	public RecordLineWriter(boolean avroTopic, WriterSchema.Lookup schemas) {
		this.avroTopic = avroTopic;
		this.schemas = schemas;
	}

	public EncodedRecord encode(ConsumerRecord<byte[], byte[]> record) {
		this.buffer.reset();
		this.digest.begin(record.timestamp());
		try (JsonGenerator json = ArchiveJson.MAPPER.createGenerator(this.buffer)) {
			json.writeStartObject();
			json.writeNumberProperty("partition", record.partition());
			json.writeNumberProperty("offset", record.offset());
			json.writeNumberProperty("timestamp", record.timestamp());
			json.writeStringProperty("timestampType", record.timestampType().name);
			json.writeName("key");
			payload(record.key(), this.avroTopic, record, json);
			json.writeName("value");
			payload(record.value(), this.avroTopic, record, json);
			Header[] headers = record.headers().toArray();
			this.digest.headerCount(headers.length);
			json.writeArrayPropertyStart("headers");
			for (Header header : headers) {
				json.writeStartObject();
				json.writeStringProperty("name", header.key());
				this.digest.headerName(header.key());
				json.writeName("value");
				payload(header.value(), false, record, json);
				json.writeEndObject();
			}
			json.writeEndArray();
			json.writeEndObject();
		}
		this.buffer.write('\n');
		return new EncodedRecord(record.offset(), this.buffer.toByteArray(), this.digest.finish());
	}

	private void payload(byte[] bytes, boolean avroPayload, ConsumerRecord<?, ?> record, JsonGenerator json) {
		if (bytes == null) {
			this.digest.nullPayload();
			json.writeNull();
		}
		else if (avroPayload && ConfluentWireFormat.matches(bytes)) {
			avro(bytes, record, json);
		}
		else {
			this.digest.bytes(bytes, 0, bytes.length);
			json.writeStartObject();
			String text = text(bytes);
			if (text != null) {
				json.writeStringProperty("text", text);
			}
			else {
				json.writeName("base64");
				json.writeBinary(bytes);
			}
			json.writeEndObject();
		}
	}

	private void avro(byte[] bytes, ConsumerRecord<?, ?> record, JsonGenerator json) {
		int schemaId = ConfluentWireFormat.schemaId(bytes);
		WriterSchema schema = this.schemas.byId(schemaId);
		int offset = ConfluentWireFormat.HEADER_LENGTH;
		int length = bytes.length - offset;
		this.digest.avro(schema.fingerprint(), bytes, offset, length);
		json.writeStartObject();
		json.writeStringProperty("schema", schema.fingerprint());
		json.writeNumberProperty("id", schemaId);
		json.writeName("avro");
		boolean exact;
		try {
			exact = this.avro.decode(schema.schema(), bytes, offset, length, json);
		}
		catch (RuntimeException ex) {
			throw new UndecodableRecordException(record.topic(), record.partition(), record.offset(), schemaId, ex);
		}
		if (!exact) {
			json.writeName("raw");
			json.writeBinary(bytes, offset, length);
		}
		json.writeEndObject();
	}

	/** The bytes as text when they are valid UTF-8 (so they come back exactly), otherwise null. */
	private String text(byte[] bytes) {
		try {
			return this.utf8.reset().decode(ByteBuffer.wrap(bytes)).toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

}
