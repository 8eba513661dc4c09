package io.kafkadr.avro;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Both directions of the codec under test, with Avro's own writer and reader as the reference. */
final class Codec {

	/** Floats read as exact decimals, as {@link JsonToAvroBinary} requires. */
	static final JsonMapper MAPPER = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

	private final AvroBinaryToJson toJson = new AvroBinaryToJson();

	private final JsonToAvroBinary toBinary = new JsonToAvroBinary();

	/** What {@link AvroBinaryToJson#decode} returned and the JSON text it wrote. */
	record Decoded(boolean roundTrips, String json) {

		JsonNode tree() {
			return MAPPER.readTree(this.json);
		}

	}

	Decoded decode(Schema schema, byte[] avro) {
		return decode(schema, avro, 0, avro.length);
	}

	Decoded decode(Schema schema, byte[] data, int offset, int length) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		boolean roundTrips;
		try (JsonGenerator json = MAPPER.createGenerator(out)) {
			roundTrips = this.toJson.decode(schema, data, offset, length, json);
		}
		return new Decoded(roundTrips, out.toString(StandardCharsets.UTF_8));
	}

	byte[] encode(Schema schema, String json) {
		return this.toBinary.encode(schema, MAPPER.readTree(json));
	}

	byte[] encode(Schema schema, JsonNode json) {
		return this.toBinary.encode(schema, json);
	}

	/** The datum as Avro's {@link GenericDatumWriter} writes it. */
	static byte[] write(Schema schema, Object datum) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
		try {
			new GenericDatumWriter<>(schema).write(datum, encoder);
			encoder.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	/** The datum as Avro's {@link GenericDatumReader} reads it. */
	static Object read(Schema schema, byte[] avro) {
		try {
			return new GenericDatumReader<>(schema).read(null, DecoderFactory.get().binaryDecoder(avro, null));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static Schema schema(String json) {
		return new Schema.Parser().parse(json);
	}

	/** Hand-written Avro binary, one int per byte. */
	static byte[] bytes(int... values) {
		byte[] bytes = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			bytes[i] = (byte) values[i];
		}
		return bytes;
	}

}
