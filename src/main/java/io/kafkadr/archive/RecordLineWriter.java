package io.kafkadr.archive;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

import io.kafkadr.avro.AvroBinaryToJson;
import io.kafkadr.avro.WireFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectWriter;

/**
 * Encodes Kafka records as segment lines (the format is in {@code docs/backup-format.md}). In an
 * Avro topic, keys and values that name their schema in one of the {@link WireFormat}s become
 * readable JSON tagged with their writer schema's fingerprint, the id and the format; everything
 * else is kept byte for byte (a header that carries an id included). A key or value of an Avro topic
 * that cannot be decoded (its schema id unknown, its bytes no datum of its schema) is kept byte for
 * byte with the reason, unless {@code strict}. One instance per thread.
 */
public final class RecordLineWriter {

	/** Lines are separated by the newline each record ends with, written by the encoder, not by Jackson. */
	private static final ObjectWriter LINES = ArchiveJson.MAPPER.writer().withRootValueSeparator((String) null);

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private final boolean avroTopic;

	private final WireFormat prefixFormat;

	private final WriterSchema.Lookup schemas;

	private final boolean strict;

	/** Whether the record being encoded has a key or value kept undecoded. */
	private boolean undecoded;

	private final AvroBinaryToJson avro = new AvroBinaryToJson();

	private final ContentDigest digest = new ContentDigest();

	private final LineBuffer buffer = new LineBuffer();

	/**
	 * @param avroTopic whether keys and values are decoded as Avro
	 * @param prefixFormat the format of payloads whose record carries no id header (an Avro topic's configured format)
	 * @param strict fail on a key or value that cannot be decoded, instead of keeping its bytes with the reason
	 */
	public RecordLineWriter(boolean avroTopic, WireFormat prefixFormat, WriterSchema.Lookup schemas, boolean strict) {
		this.avroTopic = avroTopic;
		this.prefixFormat = prefixFormat;
		this.schemas = schemas;
		this.strict = strict;
	}

	/**
	 * Encodes consecutive records of one partition, one line each, with one JSON generator into one
	 * buffer that this writer keeps from block to block: the block's lines are valid until the next call.
	 */
	public EncodedBlock encode(List<ConsumerRecord<byte[], byte[]>> records) {
		this.buffer.reset();
		byte[] digests = new byte[records.size() * ContentDigest.LENGTH];
		int undecodedRecords = 0;
		JsonGenerator json = LINES.createGenerator(this.buffer);
		for (int i = 0; i < records.size(); i++) {
			ConsumerRecord<byte[], byte[]> record = records.get(i);
			int start = this.buffer.size();
			// A datum found malformed half way through its JSON: the line is written again with it kept as bytes.
			NotADatum key = null;
			NotADatum value = null;
			while (true) {
				try {
					encode(record, json, key, value);
					json.flush();
					break;
				}
				catch (NotADatum ex) {
					key = ex.key ? ex : key;
					value = ex.key ? value : ex;
					// The generator is inside the abandoned line: a new one starts the line afresh.
					this.buffer.truncate(start);
					json = LINES.createGenerator(this.buffer);
				}
			}
			this.buffer.write('\n');
			this.digest.finish(digests, i * ContentDigest.LENGTH);
			undecodedRecords += this.undecoded ? 1 : 0;
		}
		json.close();
		// No copy: the block is written before this writer encodes the next one, and a copy doubled the heap a block takes.
		return new EncodedBlock(records.get(0).offset(), records.get(records.size() - 1).offset(), records.size(),
				this.buffer.array(), this.buffer.size(), digests, undecodedRecords);
	}

	private void encode(ConsumerRecord<byte[], byte[]> record, JsonGenerator json, NotADatum badKey,
			NotADatum badValue) {
		this.digest.begin(record.timestamp());
		this.undecoded = false;
		json.writeStartObject();
		json.writeNumberProperty("partition", record.partition());
		json.writeNumberProperty("offset", record.offset());
		json.writeNumberProperty("timestamp", record.timestamp());
		json.writeStringProperty("timestampType", record.timestampType().name);
		json.writeName("key");
		payload(record.key(), this.avroTopic, true, record, json, badKey);
		json.writeName("value");
		payload(record.value(), this.avroTopic, false, record, json, badValue);
		Header[] headers = record.headers().toArray();
		this.digest.headerCount(headers.length);
		json.writeArrayPropertyStart("headers");
		for (Header header : headers) {
			json.writeStartObject();
			json.writeStringProperty("name", header.key());
			this.digest.headerName(header.key());
			json.writeName("value");
			payload(header.value(), false, false, record, json, null);
			json.writeEndObject();
		}
		json.writeEndArray();
		json.writeEndObject();
	}

	private void payload(byte[] bytes, boolean avroPayload, boolean key, ConsumerRecord<?, ?> record, JsonGenerator json,
			NotADatum malformed) {
		if (bytes == null) {
			this.digest.nullPayload();
			json.writeNull();
			return;
		}
		if (avroPayload) {
			WireFormat format = WireFormat.detect(record.headers(), key, this.prefixFormat);
			if (format != null && (format.inHeader() || format.framed(bytes))) {
				if (malformed != null) {
					bytes(bytes, json, malformed.reason, malformed.fingerprint, format);
				}
				else {
					avro(bytes, format, key, record, json);
				}
				return;
			}
			if (format == null) {
				bytes(bytes, json, "schema GUID in header " + (key ? WireFormat.CONFLUENT_KEY_GUID_HEADER
						: WireFormat.CONFLUENT_VALUE_GUID_HEADER) + ", which no supported registry resolves", null, null);
				return;
			}
		}
		bytes(bytes, json, null, null, null);
	}

	/**
	 * Bytes kept exactly, with the reason when they are a key or value of an Avro topic that was not
	 * decoded, and its schema when that was known (it then counts in the digest as that Avro datum).
	 */
	private void bytes(byte[] bytes, JsonGenerator json, String undecoded, String fingerprint, WireFormat wire) {
		if (fingerprint != null) {
			this.digest.avro(fingerprint, bytes, wire.prefixLength(), bytes.length - wire.prefixLength());
		}
		else {
			this.digest.bytes(bytes, 0, bytes.length);
		}
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
		if (undecoded != null) {
			json.writeStringProperty("undecoded", undecoded);
			this.undecoded = true;
		}
		if (fingerprint != null) {
			json.writeStringProperty("schema", fingerprint);
			if (wire != WireFormat.CONFLUENT) {
				json.writeStringProperty("wire", wire.label());
			}
		}
		json.writeEndObject();
	}

	private void avro(byte[] bytes, WireFormat format, boolean key, ConsumerRecord<?, ?> record, JsonGenerator json) {
		long schemaId = format.inHeader()
				? WireFormat.headerId(record.headers().lastHeader(format.header(key)).value()) : format.prefixId(bytes);
		WriterSchema schema;
		try {
			schema = this.schemas.byId(format.idKind(), schemaId);
		}
		catch (RuntimeException ex) {
			String reason = describe(record, key, bytes, format, schemaId) + ": " + ex.getMessage();
			if (this.strict) {
				throw new UndecodableRecordException(reason, ex);
			}
			bytes(bytes, json, reason, null, null);
			return;
		}
		int offset = format.prefixLength();
		int length = bytes.length - offset;
		this.digest.avro(schema.fingerprint(), bytes, offset, length);
		json.writeStartObject();
		json.writeStringProperty("schema", schema.fingerprint());
		json.writeNumberProperty("id", schemaId);
		if (format != WireFormat.CONFLUENT) {
			json.writeStringProperty("wire", format.label());
		}
		json.writeName("avro");
		boolean exact;
		try {
			exact = this.avro.decode(schema.schema(), bytes, offset, length, json);
		}
		catch (RuntimeException ex) {
			String reason = describe(record, key, bytes, format, schemaId) + ", but the bytes are not a datum of that schema ("
					+ ex.getMessage() + ")";
			if (this.strict) {
				throw new UndecodableRecordException(reason, ex);
			}
			throw new NotADatum(key, reason, schema.fingerprint());
		}
		if (!exact) {
			json.writeName("raw");
			json.writeBinary(bytes, offset, length);
		}
		json.writeEndObject();
	}

	/** A key or value whose schema is known but whose bytes are not a datum of it, found while writing its JSON. */
	private static final class NotADatum extends RuntimeException {

		private final boolean key;

		private final String reason;

		private final String fingerprint;

		NotADatum(boolean key, String reason, String fingerprint) {
			super(reason, null, false, false);
			this.key = key;
			this.reason = reason;
			this.fingerprint = fingerprint;
		}

	}

	/** Names the record, what was read from it and how, so a payload that does not fit its format is recognisable. */
	private static String describe(ConsumerRecord<?, ?> record, boolean key, byte[] bytes, WireFormat format,
			long schemaId) {
		int shown = Math.min(bytes.length, 16);
		return "The " + (key ? "key" : "value") + " of the record at " + record.topic() + "-" + record.partition()
				+ " offset " + record.offset() + " (first bytes " + HexFormat.ofDelimiter(" ").formatHex(bytes, 0, shown)
				+ ((bytes.length > shown) ? " …, " : ", ") + bytes.length + " bytes) was read in the "
				+ format.label() + " wire format" + (format.inHeader() ? " (id from header " + format.header(key) + ")" : "")
				+ " as naming schema id " + schemaId;
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

	/** A byte buffer that can drop what was written after a position. */
	private static final class LineBuffer extends ByteArrayOutputStream {

		LineBuffer() {
			super(1 << 16);
		}

		void truncate(int length) {
			this.count = length;
		}

		byte[] array() {
			return this.buf;
		}

	}

}
