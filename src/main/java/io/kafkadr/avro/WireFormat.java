package io.kafkadr.avro;

import java.nio.ByteBuffer;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Where a Kafka record's key or value names its Avro writer schema, and with which id. Producers
 * put the id either in front of the datum or in a record header:
 *
 * <pre>
 *  confluent            | 0x00 | 4-byte id   | datum |     id: the registry's Confluent-API id
 *  apicurio-global-id   | 0x00 | 8-byte id   | datum |     id: Apicurio's global id
 *  apicurio-content-id  | 0x00 | 8-byte id   | datum |     id: Apicurio's content id
 *  apicurio-header-global-id   header apicurio.key.globalId / apicurio.value.globalId = 8-byte id, payload = datum
 *  apicurio-header-content-id  header apicurio.key.contentId / apicurio.value.contentId = 8-byte id, payload = datum
 * </pre>
 *
 * Ids are big-endian. A plain Avro datum often starts with byte 0 (a Debezium insert: {@code before}
 * is null), so the first byte alone proves nothing: a header format is chosen from the headers, a
 * prefix format from the topic's configuration ({@link #detect}).
 */
public enum WireFormat {

	/** Confluent's framing: magic byte 0 and a 4-byte schema id. */
	CONFLUENT("confluent", IdKind.CONFLUENT, 5, null),

	/** Apicurio's own framing: magic byte 0 and an 8-byte global id. */
	APICURIO_GLOBAL_ID("apicurio-global-id", IdKind.GLOBAL, 9, null),

	/** Apicurio's own framing with content ids: magic byte 0 and an 8-byte content id. */
	APICURIO_CONTENT_ID("apicurio-content-id", IdKind.CONTENT, 9, null),

	/** Apicurio's default: the 8-byte global id in a header, the payload plain Avro. */
	APICURIO_HEADER_GLOBAL_ID("apicurio-header-global-id", IdKind.GLOBAL, 0, "globalId"),

	/** Apicurio's headers with content ids. */
	APICURIO_HEADER_CONTENT_ID("apicurio-header-content-id", IdKind.CONTENT, 0, "contentId");

	/** The registry id space a format's ids belong to. */
	public enum IdKind {

		/** Ids of the Confluent Schema Registry API (in Apicurio 3: content ids through {@code /apis/ccompat}). */
		CONFLUENT,

		/** Apicurio's global ids: one per artifact version. */
		GLOBAL,

		/** Apicurio's content ids: one per distinct schema content. */
		CONTENT

	}

	/** The headers in which Confluent's newer serializers put a schema GUID (magic 1 and 16 bytes). */
	public static final String CONFLUENT_KEY_GUID_HEADER = "__key_schema_id";

	/** See {@link #CONFLUENT_KEY_GUID_HEADER}. */
	public static final String CONFLUENT_VALUE_GUID_HEADER = "__value_schema_id";

	private static final byte MAGIC = 0;

	private final String label;

	private final IdKind idKind;

	private final int prefixLength;

	private final String headerSuffix;

	WireFormat(String label, IdKind idKind, int prefixLength, String headerSuffix) {
		this.label = label;
		this.idKind = idKind;
		this.prefixLength = prefixLength;
		this.headerSuffix = headerSuffix;
	}

	/** The name the backup format and the configuration use. */
	public String label() {
		return this.label;
	}

	public IdKind idKind() {
		return this.idKind;
	}

	/** Bytes in front of the datum (0 for the header formats). */
	public int prefixLength() {
		return this.prefixLength;
	}

	/** Whether the id is in a header rather than in front of the datum. */
	public boolean inHeader() {
		return this.headerSuffix != null;
	}

	/** The header that carries the id of a key or value in a header format. */
	public String header(boolean key) {
		return "apicurio." + (key ? "key." : "value.") + this.headerSuffix;
	}

	/** Whether a payload is long enough and starts with the magic byte of a prefix format. */
	public boolean framed(byte[] payload) {
		return payload.length >= this.prefixLength && payload[0] == MAGIC;
	}

	/** The id in front of a payload for which {@link #framed} holds. */
	public long prefixId(byte[] payload) {
		ByteBuffer buffer = ByteBuffer.wrap(payload, 1, this.prefixLength - 1);
		return (this.prefixLength == 5) ? Integer.toUnsignedLong(buffer.getInt()) : buffer.getLong();
	}

	/** The payload of a datum: the id framed in front of it, or the datum alone for a header format. */
	public byte[] encode(long id, byte[] datum) {
		if (inHeader()) {
			return datum;
		}
		ByteBuffer buffer = ByteBuffer.allocate(this.prefixLength + datum.length).put(MAGIC);
		if (this.prefixLength == 5) {
			buffer.putInt((int) id);
		}
		else {
			buffer.putLong(id);
		}
		return buffer.put(datum).array();
	}

	/** The 8-byte header value that carries an id. */
	public static byte[] headerValue(long id) {
		return ByteBuffer.allocate(Long.BYTES).putLong(id).array();
	}

	/** The id a header value carries, or null when it is not 8 bytes. */
	public static Long headerId(byte[] value) {
		return (value != null && value.length == Long.BYTES) ? ByteBuffer.wrap(value).getLong() : null;
	}

	/** The format of a label, or null. */
	public static WireFormat ofLabel(String label) {
		for (WireFormat format : values()) {
			if (format.label.equals(label)) {
				return format;
			}
		}
		return null;
	}

	/**
	 * How a key or value of a record in an Avro topic names its schema: a header format when the
	 * record carries Apicurio's id header for it (the last such header wins, as in Apicurio's own
	 * deserializer), otherwise the topic's prefix format. Null when the record carries Confluent's
	 * GUID header, which no registry here resolves.
	 */
	public static WireFormat detect(Headers headers, boolean key, WireFormat topicPrefixFormat) {
		if (headers.lastHeader(key ? CONFLUENT_KEY_GUID_HEADER : CONFLUENT_VALUE_GUID_HEADER) != null) {
			return null;
		}
		Header global = headers.lastHeader(APICURIO_HEADER_GLOBAL_ID.header(key));
		if (global != null && headerId(global.value()) != null) {
			return APICURIO_HEADER_GLOBAL_ID;
		}
		Header content = headers.lastHeader(APICURIO_HEADER_CONTENT_ID.header(key));
		if (content != null && headerId(content.value()) != null) {
			return APICURIO_HEADER_CONTENT_ID;
		}
		return topicPrefixFormat;
	}

}
