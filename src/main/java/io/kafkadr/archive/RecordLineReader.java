package io.kafkadr.archive;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

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

	/**
	 * Parses one line from {@code length} bytes of UTF-8 at {@code offset}, token by token: only an
	 * Avro datum becomes a tree (its encoder walks one), so a raw record builds none.
	 */
	public ArchivedRecord read(byte[] line, int offset, int length) {
		try (JsonParser parser = ArchiveJson.MAPPER.createParser(line, offset, length)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new MalformedLineException("not a JSON object");
			}
			Long partition = null;
			Long recordOffset = null;
			Long timestamp = null;
			String timestampType = null;
			Payload key = null;
			Payload value = null;
			boolean hasKey = false;
			boolean hasValue = false;
			List<ArchivedRecord.Header> headers = null;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken token = parser.nextToken();
				switch (name) {
					case "partition" -> partition = number(parser, token, name);
					case "offset" -> recordOffset = number(parser, token, name);
					case "timestamp" -> timestamp = number(parser, token, name);
					case "timestampType" -> timestampType = string(parser, token, name);
					case "key" -> {
						key = payload(parser, token, "key");
						hasKey = true;
					}
					case "value" -> {
						value = payload(parser, token, "value");
						hasValue = true;
					}
					case "headers" -> headers = headers(parser, token);
					default -> parser.skipChildren();
				}
			}
			return new ArchivedRecord(partition(present(partition, "partition")), present(recordOffset, "offset"),
					present(timestamp, "timestamp"), timestampType(present(timestampType, "timestampType")),
					present(key, hasKey, "key"), present(value, hasValue, "value"), present(headers, "headers"));
		}
		catch (JacksonException ex) {
			throw new MalformedLineException("not JSON: " + ex.getOriginalMessage());
		}
	}

	private static int partition(long partition) {
		if (partition < 0 || partition > Integer.MAX_VALUE) {
			throw new MalformedLineException("\"partition\" is " + partition + ", not a partition number");
		}
		return (int) partition;
	}

	private static List<ArchivedRecord.Header> headers(JsonParser parser, JsonToken token) {
		if (token != JsonToken.START_ARRAY) {
			throw new MalformedLineException("\"headers\" is not an array");
		}
		List<ArchivedRecord.Header> headers = new ArrayList<>();
		while (parser.nextToken() == JsonToken.START_OBJECT) {
			String name = null;
			Payload value = null;
			boolean hasValue = false;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String field = parser.currentName();
				JsonToken fieldToken = parser.nextToken();
				if (field.equals("name")) {
					name = string(parser, fieldToken, "name");
				}
				else if (field.equals("value")) {
					value = payload(parser, fieldToken, "header value");
					hasValue = true;
				}
				else {
					parser.skipChildren();
				}
			}
			if (present(value, hasValue, "value") instanceof Payload.Avro) {
				throw new MalformedLineException("a header value cannot be Avro");
			}
			headers.add(new ArchivedRecord.Header(present(name, "name"),
					(value != null) ? ((Payload.Bytes) value).bytes() : null));
		}
		if (parser.currentToken() != JsonToken.END_ARRAY) {
			throw new MalformedLineException("a header is not a JSON object");
		}
		return headers;
	}

	/** A key, value or header value: null, or an object holding text, base64 or an Avro datum. */
	private static Payload payload(JsonParser parser, JsonToken token, String what) {
		if (token == JsonToken.VALUE_NULL) {
			return null;
		}
		if (token != JsonToken.START_OBJECT) {
			throw new MalformedLineException(what + " is neither null nor an object with text, base64 or avro");
		}
		String text = null;
		byte[] base64 = null;
		String undecoded = null;
		String schema = null;
		String wire = null;
		JsonNode avro = null;
		Long id = null;
		byte[] raw = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			switch (name) {
				case "text" -> text = string(parser, value, name);
				case "base64" -> base64 = binary(parser, value, name);
				case "undecoded" -> undecoded = parser.getValueAsString();
				case "schema" -> schema = string(parser, value, name);
				case "wire" -> wire = string(parser, value, name);
				case "avro" -> avro = parser.readValueAsTree();
				case "id" -> id = number(parser, value, name);
				case "raw" -> raw = (value == JsonToken.VALUE_NULL) ? null : binary(parser, value, name);
				default -> parser.skipChildren();
			}
		}
		if (text != null || base64 != null) {
			byte[] bytes = (text != null) ? text.getBytes(StandardCharsets.UTF_8) : base64;
			if (undecoded == null) {
				return new Payload.Bytes(bytes);
			}
			return new Payload.Bytes(bytes, undecoded, schema, (schema != null) ? wireFormat(wire, what) : null);
		}
		if (avro != null) {
			return new Payload.Avro(present(schema, "schema"), present(id, "id"), wireFormat(wire, what), avro, raw);
		}
		throw new MalformedLineException(what + " is neither null nor an object with text, base64 or avro");
	}

	private static TimestampType timestampType(String name) {
		try {
			return TimestampType.forName(name);
		}
		catch (NoSuchElementException ex) {
			throw new MalformedLineException("\"timestampType\" is " + name + ", not one of Kafka's timestamp types");
		}
	}

	private static long number(JsonParser parser, JsonToken token, String field) {
		if (token != JsonToken.VALUE_NUMBER_INT) {
			throw new MalformedLineException("\"" + field + "\" is not a whole number");
		}
		return parser.getLongValue();
	}

	private static String string(JsonParser parser, JsonToken token, String field) {
		if (token != JsonToken.VALUE_STRING) {
			throw new MalformedLineException("\"" + field + "\" is not a string");
		}
		return parser.getString();
	}

	private static byte[] binary(JsonParser parser, JsonToken token, String field) {
		if (token != JsonToken.VALUE_STRING) {
			throw new MalformedLineException("\"" + field + "\" is not a base64 string");
		}
		return parser.getBinaryValue();
	}

	private static <T> T present(T value, String field) {
		if (value == null) {
			throw new MalformedLineException("missing \"" + field + "\"");
		}
		return value;
	}

	/** A payload that may be JSON null but must be there. */
	private static Payload present(Payload value, boolean there, String field) {
		if (!there) {
			throw new MalformedLineException("missing \"" + field + "\"");
		}
		return value;
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

	private static WireFormat wireFormat(String label, String what) {
		WireFormat format = (label == null) ? WireFormat.CONFLUENT : WireFormat.ofLabel(label);
		if (format == null) {
			throw new MalformedLineException(what + " names the wire format \"" + label
					+ "\", which this release does not know");
		}
		return format;
	}

}
