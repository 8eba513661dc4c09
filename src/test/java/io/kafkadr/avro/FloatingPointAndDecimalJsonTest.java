package io.kafkadr.avro;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.HexFormat;

import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Values JSON numbers cannot carry exactly: special floats, -0.0 and decimals, bit for bit. */
class FloatingPointAndDecimalJsonTest {

	private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

	private final Codec codec = new Codec();

	@ParameterizedTest(name = "float bits {0} is {1}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			7fc00000 | "NaN"
			7f800000 | "Infinity"
			ff800000 | "-Infinity"
			80000000 | "-0.0"
			00000000 | 0.0
			00000001 | 1.4E-45
			00800000 | 1.1754944E-38
			7f7fffff | 3.4028235E38
			bdcccccd | -0.1
			""")
	void floatRoundTripsBitExactly(String bits, String json) {
		float value = Float.intBitsToFloat(HexFormat.fromHexDigits(bits));
		Schema schema = Schema.create(Schema.Type.FLOAT);

		assertThat(roundTrip(schema, value, json)).isInstanceOfSatisfying(Float.class,
				(back) -> assertThat(Float.floatToRawIntBits(back)).isEqualTo(Float.floatToRawIntBits(value)));
	}

	@ParameterizedTest(name = "double bits {0} is {1}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			7ff8000000000000 | "NaN"
			7ff0000000000000 | "Infinity"
			fff0000000000000 | "-Infinity"
			8000000000000000 | "-0.0"
			0000000000000000 | 0.0
			0000000000000001 | 4.9E-324
			000fffffffffffff | 2.225073858507201E-308
			7fefffffffffffff | 1.7976931348623157E308
			3fb999999999999a | 0.1
			""")
	void doubleRoundTripsBitExactly(String bits, String json) {
		double value = Double.longBitsToDouble(HexFormat.fromHexDigitsToLong(bits));
		Schema schema = Schema.create(Schema.Type.DOUBLE);

		assertThat(roundTrip(schema, value, json)).isInstanceOfSatisfying(Double.class,
				(back) -> assertThat(Double.doubleToRawLongBits(back)).isEqualTo(Double.doubleToRawLongBits(value)));
	}

	@ParameterizedTest(name = "decimal({0},{1}) on bytes {2}")
	@CsvSource(delimiter = '|', textBlock = """
			5  | 2  | -1.25
			5  | 2  | 0.00
			5  | 0  | -128
			38 | 30 | -0.000000000000000000000000000001
			40 | 20 | 12345678901234567890.12345678901234567890
			""")
	void decimalOnBytesIsPlainDecimalText(int precision, int scale, String text) {
		Schema schema = LogicalTypes.decimal(precision, scale).addToSchema(Schema.create(Schema.Type.BYTES));
		BigDecimal value = new BigDecimal(text);

		Object back = roundTrip(schema, DECIMALS.toBytes(value, schema, schema.getLogicalType()), "\"" + text + "\"");

		assertThat(DECIMALS.fromBytes((ByteBuffer) back, schema, schema.getLogicalType())).isEqualTo(value);
	}

	@ParameterizedTest(name = "decimal({0},{1}) on fixed(8) {2}")
	@CsvSource(delimiter = '|', textBlock = """
			18 | 4  | -0.0001
			18 | 4  | 0.0000
			18 | 4  | 99999999999999.9999
			18 | 18 | -0.999999999999999999
			1  | 0  | 7
			""")
	void decimalOnFixedIsPlainDecimalTextAndKeepsItsSignExtension(int precision, int scale, String text) {
		Schema schema = LogicalTypes.decimal(precision, scale).addToSchema(Schema.createFixed("Amount", null, "io.kafkadr", 8));
		BigDecimal value = new BigDecimal(text);

		Object back = roundTrip(schema, DECIMALS.toFixed(value, schema, schema.getLogicalType()), "\"" + text + "\"");

		assertThat(DECIMALS.fromFixed((GenericFixed) back, schema, schema.getLogicalType())).isEqualTo(value);
	}

	/** The round trip through JSON, and what Avro reads from the re-encoded bytes. */
	private Object roundTrip(Schema schema, Object datum, String expectedJson) {
		byte[] avro = Codec.write(schema, datum);
		Codec.Decoded decoded = this.codec.decode(schema, avro);
		assertThat(decoded.json()).isEqualTo(expectedJson);
		assertThat(decoded.roundTrips()).isTrue();
		byte[] reencoded = this.codec.encode(schema, decoded.json());
		assertThat(reencoded).isEqualTo(avro);
		return Codec.read(schema, reencoded);
	}

}
