package io.kafkadr.avro;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Hand-written binary the encoder cannot reproduce (decode still writes JSON, but returns false),
 * and binary that is no datum of the schema at all (decode throws).
 */
class NonCanonicalAvroTest {

	private static final Schema INT = Schema.create(Schema.Type.INT);

	private static final Schema INT_ARRAY = Schema.createArray(INT);

	private static final Schema INT_MAP = Schema.createMap(INT);

	private final Codec codec = new Codec();

	@Test
	void invalidUtf8StringIsReadWithReplacementCharacterButDoesNotRoundTrip() {
		Schema schema = Codec.schema("""
				{"type": "record", "name": "Row", "fields": [{"name": "name", "type": "string"}]}""");

		Codec.Decoded decoded = this.codec.decode(schema, Codec.bytes(4, 0xC3, 0x28));

		assertThat(decoded.roundTrips()).isFalse();
		assertThat(decoded.tree().get("name").stringValue()).isEqualTo("\uFFFD(");
	}

	@Test
	void arraySplitIntoSeveralBlocksDoesNotRoundTrip() {
		Codec.Decoded decoded = this.codec.decode(INT_ARRAY, Codec.bytes(2, 2, 2, 4, 0));

		assertThat(decoded.roundTrips()).isFalse();
		assertThat(decoded.json()).isEqualTo("[1,2]");
		assertThat(this.codec.decode(INT_ARRAY, Codec.bytes(4, 2, 4, 0)).roundTrips()).isTrue();
	}

	@Test
	void blockWithNegativeCountAndByteSizeDoesNotRoundTrip() {
		// Count -2 (zig-zag 3), then the block's size in bytes (2, zig-zag 4), then the items 1 and 2.
		Codec.Decoded decoded = this.codec.decode(INT_ARRAY, Codec.bytes(3, 4, 2, 4, 0));

		assertThat(decoded.roundTrips()).isFalse();
		assertThat(decoded.json()).isEqualTo("[1,2]");
	}

	@Test
	void mapSplitIntoSeveralBlocksDoesNotRoundTrip() {
		Codec.Decoded decoded = this.codec.decode(INT_MAP, Codec.bytes(2, 2, 'a', 2, 2, 2, 'b', 4, 0));

		assertThat(decoded.roundTrips()).isFalse();
		assertThat(decoded.json()).isEqualTo("{\"a\":1,\"b\":2}");
	}

	@Test
	void mapWithDuplicateKeyDoesNotRoundTrip() {
		Codec.Decoded decoded = this.codec.decode(INT_MAP, Codec.bytes(4, 2, 'a', 2, 2, 'a', 4, 0));

		assertThat(decoded.roundTrips()).isFalse();
		assertThat(decoded.json()).isEqualTo("{\"a\":1,\"a\":2}");
	}

	@Test
	void trailingBytesDoNotRoundTrip() {
		Codec.Decoded decoded = this.codec.decode(INT, Codec.bytes(2, 0));

		assertThat(decoded.roundTrips()).isFalse();
		assertThat(decoded.json()).isEqualTo("1");
	}

	@Test
	void booleanByteOtherThanZeroOrOneDoesNotRoundTrip() {
		Schema schema = Schema.create(Schema.Type.BOOLEAN);

		assertThat(this.codec.decode(schema, Codec.bytes(2)).roundTrips()).isFalse();
		assertThat(this.codec.decode(schema, Codec.bytes(1)).roundTrips()).isTrue();
	}

	@Test
	void overlongVarintDoesNotRoundTrip() {
		Codec.Decoded decoded = this.codec.decode(INT, Codec.bytes(0x82, 0x80, 0x00));

		assertThat(decoded.roundTrips()).isFalse();
		assertThat(decoded.json()).isEqualTo("1");
	}

	@Test
	void nanWithPayloadOrSignIsReadAsNaNButDoesNotRoundTrip() {
		Schema schema = Schema.create(Schema.Type.FLOAT);

		// Little-endian 0x7fc00001 and 0xffc00000.
		for (byte[] nan : new byte[][] { Codec.bytes(1, 0, 0xC0, 0x7F), Codec.bytes(0, 0, 0xC0, 0xFF) }) {
			Codec.Decoded decoded = this.codec.decode(schema, nan);
			assertThat(decoded.roundTrips()).isFalse();
			assertThat(decoded.json()).isEqualTo("\"NaN\"");
		}
		Codec.Decoded doubleNaN = this.codec.decode(Schema.create(Schema.Type.DOUBLE), Codec.bytes(1, 0, 0, 0, 0, 0, 0xF8, 0x7F));
		assertThat(doubleNaN.roundTrips()).isFalse();
	}

	@Test
	void decimalBytesLongerThanNeededDoNotRoundTrip() {
		Schema schema = Codec.schema("{\"type\": \"bytes\", \"logicalType\": \"decimal\", \"precision\": 5, \"scale\": 2}");

		Codec.Decoded positive = this.codec.decode(schema, Codec.bytes(4, 0x00, 0x01));
		Codec.Decoded negative = this.codec.decode(schema, Codec.bytes(4, 0xFF, 0xFF));

		assertThat(positive.roundTrips()).isFalse();
		assertThat(positive.json()).isEqualTo("\"0.01\"");
		assertThat(negative.roundTrips()).isFalse();
		assertThat(negative.json()).isEqualTo("\"-0.01\"");
	}

	@Test
	void truncatedInputIsNotADatum() {
		Schema string = Schema.create(Schema.Type.STRING);

		assertThatExceptionOfType(AvroJsonException.class).isThrownBy(() -> this.codec.decode(string, Codec.bytes(10, 'a', 'b')));
		assertThatExceptionOfType(AvroJsonException.class).isThrownBy(() -> this.codec.decode(INT, new byte[0]));
		assertThatExceptionOfType(AvroJsonException.class).isThrownBy(() -> this.codec.decode(INT, Codec.bytes(0x80)));
	}

	@Test
	void unionIndexOutOfRangeIsNotADatum() {
		Schema schema = Codec.schema("[\"null\", \"int\"]");

		assertThatExceptionOfType(AvroJsonException.class).isThrownBy(() -> this.codec.decode(schema, Codec.bytes(4)))
			.withMessageContaining("no branch at index 2");
		assertThatExceptionOfType(AvroJsonException.class).isThrownBy(() -> this.codec.decode(schema, Codec.bytes(1)))
			.withMessageContaining("no branch at index -1");
	}

	@Test
	void enumIndexOutOfRangeIsNotADatum() {
		Schema schema = Codec.schema("{\"type\": \"enum\", \"name\": \"Op\", \"symbols\": [\"C\", \"D\"]}");

		assertThatExceptionOfType(AvroJsonException.class).isThrownBy(() -> this.codec.decode(schema, Codec.bytes(4)))
			.withMessageContaining("no symbol at index 2");
	}

	@Test
	void implausibleItemCountIsRejectedWithoutSpinning() {
		Schema nulls = Schema.createArray(Schema.create(Schema.Type.NULL));

		// Count 2^40 of items that take no bytes.
		assertThatExceptionOfType(AvroJsonException.class)
			.isThrownBy(() -> this.codec.decode(nulls, Codec.bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 0)));
	}

	@Test
	void failureToWriteTheJsonIsNotTakenForABadDatum() {
		Schema string = Schema.create(Schema.Type.STRING);
		byte[] avro = Codec.write(string, "x".repeat(100_000));
		OutputStream full = new OutputStream() {

			@Override
			public void write(int b) throws IOException {
				throw new IOException("disk full");
			}

		};

		assertThatExceptionOfType(JacksonException.class).isThrownBy(
				() -> new AvroBinaryToJson().decode(string, avro, 0, avro.length, Codec.MAPPER.createGenerator(full)))
			.withRootCauseInstanceOf(IOException.class);
	}

	@Test
	void decodesADatumInsideALargerBuffer() {
		byte[] payload = ConfluentWireFormat.encode(42, Codec.bytes(4, 2, 4, 0));
		byte[] withTail = Arrays.copyOf(payload, payload.length + 3);

		Codec.Decoded decoded = this.codec.decode(INT_ARRAY, withTail, ConfluentWireFormat.HEADER_LENGTH, 4);

		assertThat(decoded.roundTrips()).isTrue();
		assertThat(decoded.json()).isEqualTo("[1,2]");
	}

	@Test
	void decoderStillReportsRoundTripsAfterRejectingADatum() {
		Schema schema = Schema.createArray(Schema.create(Schema.Type.LONG));

		// Two items written to the shadow, then the input ends.
		assertThatExceptionOfType(AvroJsonException.class).isThrownBy(() -> this.codec.decode(schema, Codec.bytes(6, 2, 4)));

		Codec.Decoded decoded = this.codec.decode(schema, Codec.bytes(2, 6, 0));
		assertThat(decoded.json()).isEqualTo("[3]");
		assertThat(decoded.roundTrips()).isTrue();
	}

}
