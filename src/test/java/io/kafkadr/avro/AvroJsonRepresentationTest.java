package io.kafkadr.avro;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What the JSON of each kind of value looks like, and that it encodes back to the same bytes. */
class AvroJsonRepresentationTest {

	private final Codec codec = new Codec();

	static Stream<Arguments> primitives() {
		return Stream.of(Arguments.of("null", null, "null"), Arguments.of("boolean", true, "true"),
				Arguments.of("boolean", false, "false"), Arguments.of("int", Integer.MIN_VALUE, "-2147483648"),
				Arguments.of("int", 0, "0"), Arguments.of("long", Long.MAX_VALUE, "9223372036854775807"),
				Arguments.of("float", 0.1f, "0.1"), Arguments.of("float", Float.MIN_VALUE, "1.4E-45"),
				Arguments.of("double", 0.1, "0.1"), Arguments.of("double", 1e300, "1.0E300"),
				Arguments.of("string", "", "\"\""), Arguments.of("string", "Grüße", "\"Grüße\""),
				Arguments.of("bytes", ByteBuffer.wrap(new byte[0]), "\"\""),
				Arguments.of("bytes", ByteBuffer.wrap(Codec.bytes(0, 1, 2, 0xFF)), "\"AAEC/w==\""));
	}

	@ParameterizedTest(name = "{0} {1} is {2}")
	@MethodSource("primitives")
	void everyPrimitiveIsAJsonScalar(String type, Object datum, String json) {
		assertThat(roundTrip(Schema.create(Schema.Type.valueOf(type.toUpperCase())), datum)).isEqualTo(json);
	}

	@Test
	void nestedRecordsAreNestedObjectsWithFieldsInSchemaOrder() {
		Schema schema = Codec.schema("""
				{"type": "record", "name": "Envelope", "namespace": "io.kafkadr.cdc", "fields": [
				  {"name": "op", "type": "string"},
				  {"name": "after", "type": {"type": "record", "name": "Row", "fields": [
				    {"name": "id", "type": "long"}, {"name": "empty", "type": {"type": "record", "name": "Nothing", "fields": []}}]}}]}""");
		Schema row = schema.getField("after").schema();
		GenericRecord after = new GenericRecordBuilder(row).set("id", 7L)
			.set("empty", new GenericData.Record(row.getField("empty").schema()))
			.build();
		GenericRecord envelope = new GenericRecordBuilder(schema).set("op", "c").set("after", after).build();

		assertThat(roundTrip(schema, envelope)).isEqualTo("{\"op\":\"c\",\"after\":{\"id\":7,\"empty\":{}}}");
	}

	@Test
	void enumsAreTheirSymbol() {
		Schema schema = Schema.createEnum("Op", null, "io.kafkadr.cdc", List.of("CREATE", "UPDATE", "DELETE"));

		assertThat(roundTrip(schema, new GenericData.EnumSymbol(schema, "DELETE"))).isEqualTo("\"DELETE\"");
	}

	@Test
	void fixedIsBase64() {
		Schema schema = Schema.createFixed("Hash", null, "io.kafkadr.cdc", 4);

		assertThat(roundTrip(schema, new GenericData.Fixed(schema, Codec.bytes(0xDE, 0xAD, 0xBE, 0xEF)))).isEqualTo("\"3q2+7w==\"");
	}

	@Test
	void arraysKeepTheirItemsInOrder() {
		Schema schema = Schema.createArray(Schema.create(Schema.Type.INT));

		assertThat(roundTrip(schema, List.of(3, 1, 2))).isEqualTo("[3,1,2]");
		assertThat(roundTrip(schema, List.of())).isEqualTo("[]");
	}

	@Test
	void mapKeyOrderIsKeptInJsonAndInBytes() {
		Schema schema = Schema.createMap(Schema.create(Schema.Type.INT));
		Map<String, Integer> map = new LinkedHashMap<>();
		map.put("zebra", 1);
		map.put("apple", 2);
		map.put("", 3);

		assertThat(roundTrip(schema, map)).isEqualTo("{\"zebra\":1,\"apple\":2,\"\":3}");
		Map<String, Integer> reordered = new LinkedHashMap<>();
		reordered.put("apple", 2);
		reordered.put("zebra", 1);
		reordered.put("", 3);
		assertThat(this.codec.encode(schema, "{\"apple\":2,\"zebra\":1,\"\":3}")).isEqualTo(Codec.write(schema, reordered))
			.isNotEqualTo(Codec.write(schema, map));
		assertThat(roundTrip(schema, Map.of())).isEqualTo("{}");
	}

	@Test
	void unionsShowNullAsNullAndOtherBranchesTaggedWithTheirTypeName() {
		Schema schema = Codec.schema("[\"null\", \"string\", \"long\", {\"type\": \"array\", \"items\": \"int\"}]");

		assertThat(roundTrip(schema, null)).isEqualTo("null");
		assertThat(roundTrip(schema, "x")).isEqualTo("{\"string\":\"x\"}");
		assertThat(roundTrip(schema, 5L)).isEqualTo("{\"long\":5}");
		assertThat(roundTrip(schema, List.of(1))).isEqualTo("{\"array\":[1]}");
	}

	@Test
	void unionRecordBranchesAreTaggedWithTheirFullName() {
		Schema schema = Codec.schema("""
				["null",
				 {"type": "record", "name": "Row", "namespace": "io.kafkadr.a", "fields": [{"name": "id", "type": "int"}]},
				 {"type": "record", "name": "Row", "namespace": "io.kafkadr.b", "fields": [{"name": "id", "type": "int"}]}]""");
		GenericRecord b = new GenericRecordBuilder(schema.getTypes().get(2)).set("id", 1).build();

		assertThat(roundTrip(schema, b)).isEqualTo("{\"io.kafkadr.b.Row\":{\"id\":1}}");
	}

	@Test
	void bytesAreStandardBase64() {
		byte[] all = new byte[256];
		for (int i = 0; i < all.length; i++) {
			all[i] = (byte) i;
		}
		Schema schema = Schema.create(Schema.Type.BYTES);

		assertThat(roundTrip(schema, ByteBuffer.wrap(all)))
			.isEqualTo("\"" + Base64.getEncoder().encodeToString(all) + "\"");
	}

	@Test
	void stringsWithControlQuoteBackslashAndSupplementaryCharactersAreJsonStrings() {
		String text = "\u0000\u0001\u001f\u007f\"\\/\n\t\u2028\uFEFF😀𐍈\uDBFF\uDFFF";
		Schema schema = Schema.create(Schema.Type.STRING);

		String json = roundTrip(schema, text);

		assertThat(json).startsWith("\"\\u0000\\u0001\\u001F");
		assertThat(Codec.MAPPER.readTree(json).stringValue()).isEqualTo(text);
	}

	@Test
	void dateTimestampMicrosAndUuidShowTheirUnderlyingValue() {
		Schema schema = Codec.schema("""
				{"type": "record", "name": "Times", "fields": [
				  {"name": "day", "type": {"type": "int", "logicalType": "date"}},
				  {"name": "at", "type": {"type": "long", "logicalType": "timestamp-micros"}},
				  {"name": "id", "type": {"type": "string", "logicalType": "uuid"}}]}""");
		GenericRecord datum = new GenericRecordBuilder(schema).set("day", 19_723)
			.set("at", 1_704_067_200_123_456L)
			.set("id", "0f8fad5b-d9cb-469f-a165-70867728950e")
			.build();

		assertThat(roundTrip(schema, datum))
			.isEqualTo("{\"day\":19723,\"at\":1704067200123456,\"id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\"}");
	}

	/** Avro writes the datum; the decoder must report a round trip, and the encoder must agree. */
	private String roundTrip(Schema schema, Object datum) {
		byte[] avro = Codec.write(schema, datum);
		Codec.Decoded decoded = this.codec.decode(schema, avro);
		assertThat(decoded.roundTrips()).as(decoded.json()).isTrue();
		assertThat(this.codec.encode(schema, decoded.json())).as(decoded.json()).isEqualTo(avro);
		return decoded.json();
	}

}
