package io.kafkadr.avro;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.LongStream;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: for any schema and any datum Avro writes, the decoder reports a round trip, its JSON
 * shows the datum readably, the encoder gives back the very same bytes, and Avro reads those bytes
 * as the original datum. Seeded, so a failure names the seed that reproduces it.
 */
class AvroJsonRoundTripPropertyTest {

	private static final int SEEDS = 500;

	private static final int DATA_PER_SCHEMA = 6;

	private final Codec codec = new Codec();

	static LongStream seeds() {
		return LongStream.range(0, SEEDS);
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void generatedDataRoundTripsBitExactly(long seed) {
		roundTrips(seed);
	}

	@RepeatedTest(5)
	void freshSeedRoundTripsBitExactly() {
		long seed = System.nanoTime();
		System.out.println("AvroJsonRoundTripPropertyTest exploring seed " + seed);
		roundTrips(seed);
	}

	private void roundTrips(long seed) {
		Schema schema = new RandomSchemas(seed).next();
		RandomData data = new RandomData(seed);
		for (int i = 0; i < DATA_PER_SCHEMA; i++) {
			Object datum = data.datum(schema);
			int index = i;
			roundTrips(schema, datum, () -> "seed " + seed + ", datum " + index + "\nschema: " + schema + "\ndatum: " + datum);
		}
	}

	private void roundTrips(Schema schema, Object datum, Supplier<String> context) {
		byte[] avro = Codec.write(schema, datum);
		Codec.Decoded decoded = this.codec.decode(schema, avro);
		Supplier<String> withJson = () -> context.get() + "\njson: " + decoded.json();
		assertThat(decoded.roundTrips()).as(withJson).isTrue();

		JsonNode json = decoded.tree();
		ReadableJson.assertShows(schema, datum, json, withJson);
		byte[] reencoded = this.codec.encode(schema, json);
		assertThat(reencoded).as(withJson).isEqualTo(avro);
		assertThat(plain(schema, Codec.read(schema, reencoded))).as(withJson).isEqualTo(plain(schema, datum));

		// The same datum framed as a Confluent payload and followed by unrelated bytes.
		byte[] framed = Arrays.copyOf(ConfluentWireFormat.encode(7, avro), ConfluentWireFormat.HEADER_LENGTH + avro.length + 3);
		assertThat(this.codec.decode(schema, framed, ConfluentWireFormat.HEADER_LENGTH, avro.length)).as(withJson)
			.isEqualTo(decoded);
	}

	/**
	 * The datum as plain Java values that compare with equals: floats by their bits (so NaN equals
	 * NaN and -0.0 differs from 0.0), bytes as hex, map keys as strings (unordered, as Avro's reader
	 * keeps no order; the bytes comparison already covers it).
	 */
	private static Object plain(Schema schema, Object datum) {
		return switch (schema.getType()) {
			case FLOAT -> "float " + Integer.toHexString(Float.floatToRawIntBits((Float) datum));
			case DOUBLE -> "double " + Long.toHexString(Double.doubleToRawLongBits((Double) datum));
			case STRING, ENUM -> datum.toString();
			case BYTES -> {
				ByteBuffer buffer = ((ByteBuffer) datum).duplicate();
				byte[] bytes = new byte[buffer.remaining()];
				buffer.get(bytes);
				yield HexFormat.of().formatHex(bytes);
			}
			case FIXED -> HexFormat.of().formatHex(((GenericFixed) datum).bytes());
			case ARRAY -> {
				List<Object> items = new ArrayList<>();
				((List<?>) datum).forEach((item) -> items.add(plain(schema.getElementType(), item)));
				yield items;
			}
			case MAP -> {
				Map<String, Object> map = new HashMap<>();
				((Map<?, ?>) datum).forEach((key, value) -> map.put(key.toString(), plain(schema.getValueType(), value)));
				yield map;
			}
			case UNION -> {
				Schema branch = schema.getTypes().get(GenericData.get().resolveUnion(schema, datum));
				yield Arrays.asList(branch.getFullName(), plain(branch, datum));
			}
			case RECORD -> {
				Map<String, Object> fields = new LinkedHashMap<>();
				for (Schema.Field field : schema.getFields()) {
					fields.put(field.name(), plain(field.schema(), ((GenericRecord) datum).get(field.pos())));
				}
				yield fields;
			}
			default -> datum;
		};
	}

}
