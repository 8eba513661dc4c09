package io.kafkadr.avro;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;

/**
 * Random generic data for a schema, the same for the same seed, biased towards the values a codec
 * gets wrong: edge numbers, special floats, awkward Unicode, empty and large collections. Floats
 * are canonical NaN only, since a NaN payload is (rightly) reported as not round-tripping.
 */
final class RandomData {

	private static final float[] FLOATS = { Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f,
			Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 0.1f, 1.0f / 3, 1e-40f,
			16777217f, 3.4028235e38f };

	private static final double[] DOUBLES = { Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
			Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 0.1, 1.0 / 3,
			4.9e-324, 2.2250738585072009e-308, 9007199254740993.0, 1e23, 5e-324 };

	private static final int[] CODE_POINTS = { 0x00, 0x01, 0x08, 0x09, 0x0A, 0x0D, 0x1F, 0x7F, '"', '\\', '/', 0x80, 0xA0,
			0xFF, 0x2028, 0x2029, 0xFEFF, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF, 0xD7FF, 0xE000 };

	private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

	private final Random random;

	/** Items, characters and bytes one datum may still take, so nested large collections stay small. */
	private int budget;

	RandomData(long seed) {
		this.random = new Random(seed);
	}

	/** A random datum of the schema, as {@code GenericDatumWriter} takes it. */
	Object datum(Schema schema) {
		this.budget = 2000;
		return next(schema);
	}

	private Object next(Schema schema) {
		LogicalType logicalType = schema.getLogicalType();
		return switch (schema.getType()) {
			case NULL -> null;
			case BOOLEAN -> this.random.nextBoolean();
			case INT -> nextInt();
			case LONG -> nextLong();
			case FLOAT -> nextFloat();
			case DOUBLE -> nextDouble();
			case STRING -> (logicalType != null && logicalType.getName().equals("uuid")) ? new UUID(this.random.nextLong(), this.random.nextLong()).toString()
					: nextString();
			case BYTES -> (logicalType instanceof LogicalTypes.Decimal decimal)
					? DECIMALS.toBytes(nextDecimal(decimal), schema, decimal) : ByteBuffer.wrap(nextBytes(nextSize(40)));
			case FIXED -> (logicalType instanceof LogicalTypes.Decimal decimal)
					? DECIMALS.toFixed(nextDecimal(decimal), schema, decimal)
					: new GenericData.Fixed(schema, nextBytes(schema.getFixedSize()));
			case ENUM -> new GenericData.EnumSymbol(schema,
					schema.getEnumSymbols().get(this.random.nextInt(schema.getEnumSymbols().size())));
			case ARRAY -> nextArray(schema);
			case MAP -> nextMap(schema);
			case UNION -> next(schema.getTypes().get(this.random.nextInt(schema.getTypes().size())));
			case RECORD -> nextRecord(schema);
		};
	}

	private int nextInt() {
		return switch (this.random.nextInt(5)) {
			case 0 -> new int[] { 0, 1, -1, 63, 64, -64, -65, Integer.MAX_VALUE, Integer.MIN_VALUE }[this.random.nextInt(9)];
			case 1 -> this.random.nextInt(200) - 100;
			default -> this.random.nextInt() >> this.random.nextInt(32);
		};
	}

	private long nextLong() {
		return switch (this.random.nextInt(5)) {
			case 0 -> new long[] { 0, -1, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE + 1L }[this.random.nextInt(5)];
			case 1 -> this.random.nextInt(200) - 100;
			default -> this.random.nextLong() >> this.random.nextInt(64);
		};
	}

	private float nextFloat() {
		float value = switch (this.random.nextInt(6)) {
			case 0, 1 -> FLOATS[this.random.nextInt(FLOATS.length)];
			// Subnormals: a zero exponent and a random mantissa.
			case 2 -> Float.intBitsToFloat(this.random.nextInt() & 0x807FFFFF);
			case 3 -> (float) (this.random.nextGaussian() * Math.pow(10, this.random.nextInt(20) - 10));
			default -> Float.intBitsToFloat(this.random.nextInt());
		};
		return Float.isNaN(value) ? Float.NaN : value;
	}

	private double nextDouble() {
		double value = switch (this.random.nextInt(6)) {
			case 0, 1 -> DOUBLES[this.random.nextInt(DOUBLES.length)];
			case 2 -> Double.longBitsToDouble(this.random.nextLong() & 0x800FFFFFFFFFFFFFL);
			case 3 -> this.random.nextGaussian() * Math.pow(10, this.random.nextInt(40) - 20);
			default -> Double.longBitsToDouble(this.random.nextLong());
		};
		return Double.isNaN(value) ? Double.NaN : value;
	}

	/** Any Unicode scalar value, often a control character, a quote, a backslash or a supplementary one. */
	private String nextString() {
		int length = nextSize(12);
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			int codePoint = switch (this.random.nextInt(6)) {
				case 0 -> CODE_POINTS[this.random.nextInt(CODE_POINTS.length)];
				case 1 -> this.random.nextInt(0x20);
				case 2 -> 0x10000 + this.random.nextInt(0x100000);
				case 3 -> {
					int bmp = this.random.nextInt(0xF800);
					yield (bmp < 0xD800) ? bmp : bmp + 0x800;
				}
				default -> 0x20 + this.random.nextInt(0x5F);
			};
			text.appendCodePoint(codePoint);
		}
		return text.toString();
	}

	/** A value with exactly the schema's scale and at most its precision, of either sign. */
	private BigDecimal nextDecimal(LogicalTypes.Decimal decimal) {
		int precision = decimal.getPrecision();
		BigInteger largest = BigInteger.TEN.pow(precision).subtract(BigInteger.ONE);
		BigInteger unscaled = switch (this.random.nextInt(6)) {
			case 0 -> BigInteger.ZERO;
			case 1 -> largest;
			case 2 -> largest.negate();
			default -> new BigInteger(1 + this.random.nextInt(4 * precision), this.random).mod(largest.add(BigInteger.ONE));
		};
		if (this.random.nextBoolean()) {
			unscaled = unscaled.negate();
		}
		return new BigDecimal(unscaled, decimal.getScale());
	}

	private byte[] nextBytes(int length) {
		byte[] bytes = new byte[length];
		this.random.nextBytes(bytes);
		return bytes;
	}

	private List<Object> nextArray(Schema schema) {
		int size = nextSize(6);
		List<Object> items = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			items.add(next(schema.getElementType()));
		}
		return items;
	}

	/** A map in random key order; a LinkedHashMap, so the writer sees that order. */
	private Map<String, Object> nextMap(Schema schema) {
		int size = nextSize(6);
		Map<String, Object> map = new LinkedHashMap<>();
		while (map.size() < size) {
			String key = nextString();
			while (map.containsKey(key)) {
				key += map.size();
			}
			map.put(key, next(schema.getValueType()));
		}
		return map;
	}

	private GenericData.Record nextRecord(Schema schema) {
		GenericData.Record record = new GenericData.Record(schema);
		for (Schema.Field field : schema.getFields()) {
			record.put(field.pos(), next(field.schema()));
		}
		return record;
	}

	/** Usually small, often empty, sometimes large, within the budget. */
	private int nextSize(int small) {
		int size = switch (this.random.nextInt(10)) {
			case 0, 1 -> 0;
			case 9 -> small * 10 + this.random.nextInt(small * 20);
			default -> 1 + this.random.nextInt(small);
		};
		size = Math.min(size, Math.max(this.budget, 0));
		this.budget -= size;
		return size;
	}

}
