package io.kafkadr.archive;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

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

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private final boolean avroTopic;

	private final WriterSchema.Lookup schemas;

	private final AvroBinaryToJson avro = new AvroBinaryToJson();

	private final ContentDigest digest = new ContentDigest();

	private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);

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
			if (isUtf8(bytes)) {
				// Straight from the bytes: decoding them to a String for Jackson to encode again cost more than the rest of a raw record.
				json.writeName("text");
				json.writeUTF8String(bytes, 0, bytes.length);
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

	/**
	 * Whether the bytes are well-formed UTF-8 (so they come back exactly from the text), by the rules
	 * of the JDK's strict decoder: no overlong forms, no surrogates, nothing above U+10FFFF.
	 */
	static boolean isUtf8(byte[] bytes) {
		int i = 0;
		int n = bytes.length;
		while (i < n) {
			// Most payloads are ASCII: eight bytes at a time until a byte with its high bit set.
			while (i + Long.BYTES <= n && ((long) LONGS.get(bytes, i) & 0x8080808080808080L) == 0) {
				i += Long.BYTES;
			}
			if (i >= n) {
				break;
			}
			int b = bytes[i];
			if (b >= 0) {
				i++;
				continue;
			}
			b &= 0xFF;
			int second;
			if (b >= 0xC2 && b <= 0xDF) {
				if (i + 1 >= n || !continuation(bytes[i + 1])) {
					return false;
				}
				i += 2;
			}
			else if (b >= 0xE0 && b <= 0xEF) {
				if (i + 2 >= n) {
					return false;
				}
				second = bytes[i + 1] & 0xFF;
				boolean secondOk = (b == 0xE0) ? (second >= 0xA0 && second <= 0xBF)
						: (b == 0xED) ? (second >= 0x80 && second <= 0x9F) : continuation(bytes[i + 1]);
				if (!secondOk || !continuation(bytes[i + 2])) {
					return false;
				}
				i += 3;
			}
			else if (b >= 0xF0 && b <= 0xF4) {
				if (i + 3 >= n) {
					return false;
				}
				second = bytes[i + 1] & 0xFF;
				boolean secondOk = (b == 0xF0) ? (second >= 0x90 && second <= 0xBF)
						: (b == 0xF4) ? (second >= 0x80 && second <= 0x8F) : continuation(bytes[i + 1]);
				if (!secondOk || !continuation(bytes[i + 2]) || !continuation(bytes[i + 3])) {
					return false;
				}
				i += 4;
			}
			else {
				return false;
			}
		}
		return true;
	}

	private static boolean continuation(byte b) {
		return (b & 0xC0) == 0x80;
	}

}
