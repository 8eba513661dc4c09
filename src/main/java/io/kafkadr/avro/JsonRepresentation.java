package io.kafkadr.avro;

import java.util.Arrays;
import java.math.BigDecimal;
import java.math.BigInteger;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The rules both directions of the codec share, so that JSON written from a datum encodes back to
 * the same bytes. Values JSON numbers cannot carry exactly travel as strings: {@code NaN},
 * {@code Infinity}, {@code -Infinity} and {@code -0.0} for float and double, and decimals.
 */
final class JsonRepresentation {

	static final String NAN = "NaN";

	static final String POSITIVE_INFINITY = "Infinity";

	static final String NEGATIVE_INFINITY = "-Infinity";

	static final String NEGATIVE_ZERO = "-0.0";

	private JsonRepresentation() {
	}

	/** The name that tags a non-null union branch in JSON, as Avro's own JSON encoding names it. */
	static String branchName(Schema branch) {
		return branch.getFullName();
	}

	/** The string standing for a float or double that JSON numbers cannot express, or null. */
	static String specialFloatingPoint(double value) {
		if (Double.isNaN(value)) {
			return NAN;
		}
		if (value == Double.POSITIVE_INFINITY) {
			return POSITIVE_INFINITY;
		}
		if (value == Double.NEGATIVE_INFINITY) {
			return NEGATIVE_INFINITY;
		}
		if (value == 0.0 && Double.doubleToRawLongBits(value) != 0L) {
			return NEGATIVE_ZERO;
		}
		return null;
	}

	/** The double a string written by {@link #specialFloatingPoint} stands for. */
	static double parseSpecialFloatingPoint(String text) {
		return switch (text) {
			case NAN -> Double.NaN;
			case POSITIVE_INFINITY -> Double.POSITIVE_INFINITY;
			case NEGATIVE_INFINITY -> Double.NEGATIVE_INFINITY;
			case NEGATIVE_ZERO -> -0.0;
			default -> throw new AvroJsonException("'" + text + "' is not a number; expected a JSON number or one of "
					+ NAN + ", " + POSITIVE_INFINITY + ", " + NEGATIVE_INFINITY + ", " + NEGATIVE_ZERO);
		};
	}

	/** The scale of a decimal-annotated bytes or fixed schema, or -1 when it carries no decimal. */
	static int decimalScale(Schema schema) {
		LogicalType logicalType = schema.getLogicalType();
		return (logicalType instanceof LogicalTypes.Decimal decimal) ? decimal.getScale() : -1;
	}

	/** A decimal's two's-complement bytes as its plain decimal text; empty bytes stay empty text. */
	static String decimalText(byte[] unscaled, int scale) {
		if (unscaled.length == 0) {
			return "";
		}
		return new BigDecimal(new BigInteger(unscaled), scale).toPlainString();
	}

	/**
	 * The minimal two's-complement bytes of a decimal text, sign-extended to {@code fixedSize} when
	 * that is not -1.
	 */
	static byte[] decimalBytes(String text, int scale, int fixedSize) {
		if (text.isEmpty()) {
			return new byte[0];
		}
		BigDecimal value;
		try {
			value = new BigDecimal(text);
		}
		catch (NumberFormatException ex) {
			throw new AvroJsonException("'" + text + "' is not a decimal number");
		}
		if (value.scale() != scale) {
			throw new AvroJsonException("decimal " + text + " has scale " + value.scale() + ", the schema says " + scale);
		}
		byte[] minimal = value.unscaledValue().toByteArray();
		if (fixedSize < 0 || minimal.length == fixedSize) {
			return minimal;
		}
		if (minimal.length > fixedSize) {
			throw new AvroJsonException("decimal " + text + " does not fit in fixed(" + fixedSize + ")");
		}
		byte[] padded = new byte[fixedSize];
		byte sign = (byte) (value.signum() < 0 ? 0xFF : 0x00);
		int pad = fixedSize - minimal.length;
		Arrays.fill(padded, 0, pad, sign);
		System.arraycopy(minimal, 0, padded, pad, minimal.length);
		return padded;
	}

}
