package io.kafkadr.archive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.kafkadr.avro.WireFormat;
import org.apache.kafka.common.record.TimestampType;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/** Parses segment lines written by {@link RecordLineWriter}. Thread-safe. */
public final class RecordLineReader {

	/**
	 * Parses one line.
	 * @throws MalformedLineException when the line is not a record of this format
	 */
	public ArchivedRecord read(String line) {
		byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
		return read(bytes, 0, bytes.length);
	}

	/** Parses one line from {@code length} bytes of UTF-8 at {@code offset}. */
	public ArchivedRecord read(byte[] line, int offset, int length) {
		JsonNode node;
		try {
			node = ArchiveJson.MAPPER.readTree(line, offset, length);
		}
		catch (JacksonException ex) {
			throw new MalformedLineException("not JSON: " + ex.getOriginalMessage());
		}
		if (!node.isObject()) {
			throw new MalformedLineException("not a JSON object");
		}
		List<ArchivedRecord.Header> headers = new ArrayList<>();
		for (JsonNode header : require(node, "headers")) {
			Payload value = payload(require(header, "value"), "header value");
			if (value instanceof Payload.Avro) {
				throw new MalformedLineException("a header value cannot be Avro");
			}
			headers.add(new ArchivedRecord.Header(require(header, "name").stringValue(),
					(value != null) ? ((Payload.Bytes) value).bytes() : null));
		}
		return new ArchivedRecord(require(node, "partition").intValue(), require(node, "offset").longValue(),
				require(node, "timestamp").longValue(), TimestampType.forName(require(node, "timestampType").stringValue()),
				payload(require(node, "key"), "key"), payload(require(node, "value"), "value"), headers);
	}

	/**
	 * Reads a line in outline, token by token, without building it or decoding a datum.
	 * @throws MalformedLineException when the line is not a JSON object with a numeric timestamp
	 */
	public RecordOutline outline(String line) {
		byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
		return outline(bytes, 0, bytes.length);
	}

	/** Reads a line in outline from {@code length} bytes of UTF-8 at {@code offset}. */
	public RecordOutline outline(byte[] line, int offset, int length) {
		try (JsonParser parser = ArchiveJson.MAPPER.createParser(line, offset, length)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new MalformedLineException("not a JSON object");
			}
			Long timestamp = null;
			boolean apicurioId = false;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if (name.equals("timestamp") && value == JsonToken.VALUE_NUMBER_INT) {
					timestamp = parser.getLongValue();
				}
				else if ((name.equals("key") || name.equals("value")) && value == JsonToken.START_OBJECT) {
					apicurioId |= carriesApicurioId(parser);
				}
				else {
					parser.skipChildren();
				}
			}
			if (timestamp == null) {
				throw new MalformedLineException("missing \"timestamp\"");
			}
			return new RecordOutline(timestamp, apicurioId);
		}
		catch (JacksonException ex) {
			throw new MalformedLineException("not JSON: " + ex.getOriginalMessage());
		}
	}

	/** Reads a payload object to its end: whether it is an Avro datum framed with an Apicurio id. */
	private static boolean carriesApicurioId(JsonParser parser) {
		boolean avro = false;
		WireFormat wire = WireFormat.CONFLUENT;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			if (name.equals("avro")) {
				avro = true;
			}
			else if (name.equals("wire") && value == JsonToken.VALUE_STRING) {
				wire = WireFormat.ofLabel(parser.getString());
			}
			parser.skipChildren();
		}
		return avro && wire != null && wire.idKind() != WireFormat.IdKind.CONFLUENT;
	}

	private static Payload payload(JsonNode node, String what) {
		if (node.isNull()) {
			return null;
		}
		if (node.has("text") || node.has("base64")) {
			byte[] bytes = node.has("text") ? node.get("text").stringValue().getBytes(StandardCharsets.UTF_8)
					: node.get("base64").binaryValue();
			JsonNode undecoded = node.get("undecoded");
			if (undecoded == null) {
				return new Payload.Bytes(bytes);
			}
			JsonNode schema = node.get("schema");
			return new Payload.Bytes(bytes, undecoded.asString(), (schema != null) ? schema.asString() : null,
					(schema != null) ? wireFormat(node, what) : null);
		}
		if (node.has("avro")) {
			JsonNode raw = node.get("raw");
			return new Payload.Avro(require(node, "schema").stringValue(), require(node, "id").longValue(),
					wireFormat(node, what), node.get("avro"), (raw != null) ? raw.binaryValue() : null);
		}
		throw new MalformedLineException(what + " is neither null nor an object with text, base64 or avro");
	}

	private static WireFormat wireFormat(JsonNode node, String what) {
		JsonNode wire = node.get("wire");
		WireFormat format = (wire == null) ? WireFormat.CONFLUENT : WireFormat.ofLabel(wire.asString());
		if (format == null) {
			throw new MalformedLineException(what + " names the wire format \"" + wire.asString()
					+ "\", which this release does not know");
		}
		return format;
	}

	private static JsonNode require(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null) {
			throw new MalformedLineException("missing \"" + field + "\"");
		}
		return value;
	}

}
