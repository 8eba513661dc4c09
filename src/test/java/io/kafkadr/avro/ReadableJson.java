package io.kafkadr.avro;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.fail;

/**
 * An independent statement of the JSON representation: asserts that JSON shows a datum the way a
 * person reads it (strings as strings, numbers as numbers, base64 bytes, plain decimal text,
 * unions tagged with the branch's full name, record fields and map keys in their order). Checks
 * are plain comparisons, as the property test runs them on every node of thousands of data.
 */
final class ReadableJson {

	private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

	/** The seed, schema, datum and JSON, built only for a failure message. */
	private final Supplier<String> context;

	private ReadableJson(Supplier<String> context) {
		this.context = context;
	}

	static void assertShows(Schema schema, Object datum, JsonNode json, Supplier<String> context) {
		new ReadableJson(context).check(schema, datum, json, "$");
	}

	private void check(Schema schema, Object datum, JsonNode json, String path) {
		switch (schema.getType()) {
			case NULL -> expect(json.isNull(), json, path);
			case BOOLEAN -> {
				expect(json.isBoolean(), json, path);
				expectEqual(datum, json.booleanValue(), path);
			}
			case INT, LONG -> {
				expect(json.isIntegralNumber(), json, path);
				expectEqual(((Number) datum).longValue(), json.longValue(), path);
			}
			case FLOAT, DOUBLE -> checkFloatingPoint((Number) datum, json, path);
			case STRING, ENUM -> {
				expect(json.isString(), json, path);
				expectEqual(datum.toString(), json.stringValue(), path);
			}
			case BYTES -> checkBinary(schema, ((ByteBuffer) datum).duplicate(), json, path);
			case FIXED -> checkBinary(schema, ByteBuffer.wrap(((GenericFixed) datum).bytes()), json, path);
			case ARRAY -> {
				List<?> items = (List<?>) datum;
				expect(json.isArray() && json.size() == items.size(), json, path);
				for (int i = 0; i < items.size(); i++) {
					check(schema.getElementType(), items.get(i), json.get(i), path + "[" + i + "]");
				}
			}
			case MAP -> {
				Map<?, ?> map = (Map<?, ?>) datum;
				expect(json.isObject(), json, path);
				expectEqual(strings(map.keySet()), List.copyOf(json.propertyNames()), path + " (keys in order)");
				map.forEach((key, value) -> check(schema.getValueType(), value, json.get(key.toString()), path + "." + key));
			}
			case UNION -> {
				Schema branch = schema.getTypes().get(GenericData.get().resolveUnion(schema, datum));
				if (branch.getType() == Schema.Type.NULL) {
					expect(json.isNull(), json, path);
				}
				else {
					expect(json.isObject(), json, path);
					expectEqual(List.of(branch.getFullName()), List.copyOf(json.propertyNames()), path + " (union tag)");
					check(branch, datum, json.get(branch.getFullName()), path + "." + branch.getFullName());
				}
			}
			case RECORD -> {
				expect(json.isObject(), json, path);
				List<String> names = schema.getFields().stream().map(Schema.Field::name).toList();
				expectEqual(names, List.copyOf(json.propertyNames()), path + " (fields in order)");
				for (Schema.Field field : schema.getFields()) {
					check(field.schema(), ((GenericRecord) datum).get(field.pos()), json.get(field.name()),
							path + "." + field.name());
				}
			}
		}
	}

	/** Special values as strings, the others as numbers that parse back to the same bits. */
	private void checkFloatingPoint(Number value, JsonNode json, String path) {
		double number = value.doubleValue();
		if (Double.isNaN(number) || Double.isInfinite(number) || (number == 0 && 1 / number < 0)) {
			String text = Double.isNaN(number) ? "NaN" : (number == 0) ? "-0.0" : (number > 0) ? "Infinity" : "-Infinity";
			expect(json.isString(), json, path);
			expectEqual(text, json.stringValue(), path);
			return;
		}
		expect(json.isNumber(), json, path);
		String decimal = json.decimalValue().toString();
		expectEqual(value, (value instanceof Float) ? (Number) Float.valueOf(decimal) : (Number) Double.valueOf(decimal), path);
	}

	/** Decimals as plain decimal text, other bytes as standard base64. */
	private void checkBinary(Schema schema, ByteBuffer bytes, JsonNode json, String path) {
		expect(json.isString(), json, path);
		if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
			BigDecimal expected = (schema.getType() == Schema.Type.FIXED)
					? DECIMALS.fromFixed(new GenericData.Fixed(schema, bytes.array()), schema, decimal)
					: DECIMALS.fromBytes(bytes, schema, decimal);
			expectEqual(expected.toPlainString(), json.stringValue(), path);
		}
		else {
			byte[] expected = new byte[bytes.remaining()];
			bytes.get(expected);
			expectEqual(Arrays.toString(expected), Arrays.toString(Base64.getDecoder().decode(json.stringValue())), path);
		}
	}

	private void expect(boolean holds, JsonNode json, String path) {
		if (!holds) {
			fail("%s%nat %s: unexpected JSON %s", this.context.get(), path, json);
		}
	}

	private void expectEqual(Object expected, Object actual, String path) {
		if (!Objects.equals(expected, actual)) {
			fail("%s%nat %s: expected %s but JSON shows %s", this.context.get(), path, expected, actual);
		}
	}

	private static List<String> strings(Iterable<?> keys) {
		List<String> strings = new ArrayList<>();
		keys.forEach((key) -> strings.add(key.toString()));
		return strings;
	}

}
