package io.kafkadr.avro;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Encodes JSON written by {@link AvroBinaryToJson} back into Avro binary with the same writer
 * schema. Floating-point numbers must be read from JSON as exact decimals (Jackson's
 * {@code USE_BIG_DECIMAL_FOR_FLOATS}), so that no float is rounded twice. One instance per thread.
 */
public final class JsonToAvroBinary {

	private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

	private BinaryEncoder out;

	/**
	 * The Avro binary encoding of {@code datum}.
	 * @throws AvroJsonException when the JSON does not fit the schema, naming where
	 */
	public byte[] encode(Schema schema, JsonNode datum) {
		// Reconfiguring flushes what a datum rejected half-way left in the encoder's buffer: reset the
		// buffer after it, or those bytes would precede this datum.
		this.out = EncoderFactory.get().binaryEncoder(this.buffer, this.out);
		this.buffer.reset();
		try {
			write(schema, datum, "$");
			this.out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return this.buffer.toByteArray();
	}

	private void write(Schema schema, JsonNode node, String path) throws IOException {
		switch (schema.getType()) {
			case NULL -> {
				expect(node.isNull(), schema, node, path);
				this.out.writeNull();
			}
			case BOOLEAN -> {
				expect(node.isBoolean(), schema, node, path);
				this.out.writeBoolean(node.booleanValue());
			}
			case INT -> {
				expect(node.isIntegralNumber() && node.canConvertToInt(), schema, node, path);
				this.out.writeInt(node.intValue());
			}
			case LONG -> {
				expect(node.isIntegralNumber() && node.canConvertToLong(), schema, node, path);
				this.out.writeLong(node.longValue());
			}
			case FLOAT -> {
				double special = specialOrNumber(schema, node, path);
				float value = node.isNumber() ? Float.parseFloat(node.decimalValue().toString()) : (float) special;
				expectInRange(Float.isInfinite(value), schema, node, path);
				this.out.writeFloat(Float.isNaN(value) ? Float.NaN : value);
			}
			case DOUBLE -> {
				double special = specialOrNumber(schema, node, path);
				double value = node.isNumber() ? Double.parseDouble(node.decimalValue().toString()) : special;
				expectInRange(Double.isInfinite(value), schema, node, path);
				this.out.writeDouble(value);
			}
			case STRING -> {
				expect(node.isString(), schema, node, path);
				this.out.writeString(node.stringValue());
			}
			case BYTES -> this.out.writeBytes(binary(schema, node, -1, path));
			case FIXED -> this.out.writeFixed(binary(schema, node, schema.getFixedSize(), path));
			case ENUM -> {
				expect(node.isString() && schema.hasEnumSymbol(node.stringValue()), schema, node, path);
				this.out.writeEnum(schema.getEnumOrdinal(node.stringValue()));
			}
			case ARRAY -> {
				expect(node.isArray(), schema, node, path);
				this.out.writeArrayStart();
				this.out.setItemCount(node.size());
				int index = 0;
				for (JsonNode item : node.values()) {
					this.out.startItem();
					write(schema.getElementType(), item, path + "[" + index++ + "]");
				}
				this.out.writeArrayEnd();
			}
			case MAP -> {
				expect(node.isObject(), schema, node, path);
				this.out.writeMapStart();
				this.out.setItemCount(node.size());
				for (Map.Entry<String, JsonNode> entry : node.properties()) {
					this.out.startItem();
					this.out.writeString(entry.getKey());
					write(schema.getValueType(), entry.getValue(), path + "." + entry.getKey());
				}
				this.out.writeMapEnd();
			}
			case UNION -> writeUnion(schema, node, path);
			case RECORD -> {
				expect(node.isObject(), schema, node, path);
				for (Schema.Field field : schema.getFields()) {
					JsonNode value = node.get(field.name());
					if (value == null) {
						throw new AvroJsonException(path + ": field '" + field.name() + "' of " + schema.getFullName()
								+ " is missing");
					}
					write(field.schema(), value, path + "." + field.name());
				}
			}
		}
	}

	private void writeUnion(Schema schema, JsonNode node, String path) throws IOException {
		if (node.isNull()) {
			Integer index = schema.getIndexNamed(Schema.Type.NULL.getName());
			expect(index != null, schema, node, path);
			this.out.writeIndex(index);
			return;
		}
		expect(node.isObject() && node.size() == 1, schema, node, path);
		Map.Entry<String, JsonNode> branch = node.properties().iterator().next();
		Integer index = schema.getIndexNamed(branch.getKey());
		if (index == null) {
			throw new AvroJsonException(path + ": union " + schema + " has no branch named '" + branch.getKey() + "'");
		}
		this.out.writeIndex(index);
		write(schema.getTypes().get(index), branch.getValue(), path + "." + branch.getKey());
	}

	private static double specialOrNumber(Schema schema, JsonNode node, String path) {
		if (node.isString()) {
			try {
				return JsonRepresentation.parseSpecialFloatingPoint(node.stringValue());
			}
			catch (AvroJsonException ex) {
				throw new AvroJsonException(path + ": " + ex.getMessage(), ex);
			}
		}
		expect(node.isNumber(), schema, node, path);
		return 0;
	}

	/** A JSON number beyond the float or double range would otherwise become an infinity silently. */
	private static void expectInRange(boolean infinite, Schema schema, JsonNode node, String path) {
		if (infinite && node.isNumber()) {
			throw new AvroJsonException(path + ": " + node.decimalValue() + " is out of the range of " + describe(schema));
		}
	}

	private static byte[] binary(Schema schema, JsonNode node, int fixedSize, String path) {
		expect(node.isString(), schema, node, path);
		int scale = JsonRepresentation.decimalScale(schema);
		byte[] value;
		try {
			value = (scale >= 0) ? JsonRepresentation.decimalBytes(node.stringValue(), scale, fixedSize)
					: node.binaryValue();
		}
		catch (AvroJsonException ex) {
			throw new AvroJsonException(path + ": " + ex.getMessage(), ex);
		}
		catch (JacksonException ex) {
			throw new AvroJsonException(path + ": '" + node.stringValue() + "' is not base64", ex);
		}
		if (fixedSize >= 0 && value.length != fixedSize) {
			throw new AvroJsonException(path + ": " + value.length + " bytes for fixed " + schema.getFullName() + " of size "
					+ fixedSize);
		}
		return value;
	}

	private static void expect(boolean fits, Schema schema, JsonNode node, String path) {
		if (!fits) {
			String found = node.isString() ? "'" + node.stringValue() + "'" : node.getNodeType().toString().toLowerCase();
			throw new AvroJsonException(path + ": expected " + describe(schema) + ", found " + found);
		}
	}

	private static String describe(Schema schema) {
		return switch (schema.getType()) {
			case RECORD, ENUM, FIXED -> schema.getType().getName() + " " + schema.getFullName();
			case UNION -> "one of " + schema.getTypes().stream().map(JsonRepresentation::branchName).toList();
			default -> schema.getType().getName();
		};
	}

}
