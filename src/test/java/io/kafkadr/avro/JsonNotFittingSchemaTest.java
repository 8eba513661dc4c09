package io.kafkadr.avro;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** JSON that does not fit the schema is rejected with a message that says where. */
class JsonNotFittingSchemaTest {

	private static final Schema ENVELOPE = Codec.schema("""
			{"type": "record", "name": "Envelope", "namespace": "io.kafkadr.cdc", "fields": [
			  {"name": "after", "type": {"type": "record", "name": "Row", "fields": [
			    {"name": "name", "type": "string"},
			    {"name": "id", "type": "int"},
			    {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["A", "B"]}},
			    {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 4}},
			    {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}},
			    {"name": "amount", "type": {"type": "fixed", "name": "Amount", "size": 1, "logicalType": "decimal",
			      "precision": 2}},
			    {"name": "ratio", "type": "double"},
			    {"name": "weight", "type": "float"},
			    {"name": "blob", "type": "bytes"},
			    {"name": "tags", "type": {"type": "array", "items": "string"}},
			    {"name": "attrs", "type": {"type": "map", "values": "long"}},
			    {"name": "before", "type": ["null", "Row"]}]}}]}""");

	private static final String VALID_AFTER = """
			"name": "n", "id": 1, "kind": "A", "hash": "AAECAw==", "price": "1.50", "amount": "-5", "ratio": 0.5, "weight": 0.5,
			"blob": "", "tags": ["t"], "attrs": {"k": 1}, "before": null""";

	private final Codec codec = new Codec();

	@Test
	void validJsonEncodes() {
		byte[] avro = this.codec.encode(ENVELOPE, envelope("{" + VALID_AFTER + "}"));

		assertThat(this.codec.decode(ENVELOPE, avro).roundTrips()).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			string as number       | `"name": 5`             | $.after.name: expected string, found number
			int out of range       | `"id": 3000000000`      | $.after.id: expected int, found number
			int as decimal         | `"id": 1.5`             | $.after.id: expected int, found number
			bad enum symbol        | `"kind": "C"`           | $.after.kind: expected enum io.kafkadr.cdc.Kind, found 'C'
			wrong fixed length     | `"hash": "AAE="`        | $.after.hash: 2 bytes for fixed io.kafkadr.cdc.Hash of size 4
			not a decimal          | `"price": "1,50"`       | $.after.price: '1,50' is not a decimal number
			decimal of wrong scale | `"price": "1.5"`        | $.after.price: decimal 1.5 has scale 1, the schema says 2
			decimal too large      | `"amount": "300"`       | $.after.amount: decimal 300 does not fit in fixed(1)
			unknown special double | `"ratio": "nan"`        | $.after.ratio: 'nan' is not a number
			float out of range     | `"weight": 1e39`        | $.after.weight: 1E+39 is out of the range of float
			double out of range    | `"ratio": -1e309`       | $.after.ratio: -1E+309 is out of the range of double
			invalid base64         | `"blob": "not base64!"` | $.after.blob: 'not base64!' is not base64
			array item             | `"tags": ["a", 2]`      | $.after.tags[1]: expected string, found number
			map value              | `"attrs": {"k": "v"}`   | $.after.attrs.k: expected long, found 'v'
			unknown union branch   | `"before": {"Row": {}}` | $.after.before: has no branch named 'Row'
			bare union value       | `"before": "x"`         | $.after.before: expected one of [null, io.kafkadr.cdc.Row], found 'x'
			value in union branch  | `"before": {"io.kafkadr.cdc.Row": {"name": 1}}` | $.after.before.io.kafkadr.cdc.Row.name: expected string
			""")
	void mismatchIsRejectedNamingThePath(String mismatch, String field, String message) {
		// A repeated name replaces the valid value of that field.
		String json = envelope("{" + VALID_AFTER + ", " + field + "}");
		String path = message.substring(0, message.indexOf(": ") + 2);

		assertThatExceptionOfType(AvroJsonException.class).isThrownBy(() -> this.codec.encode(ENVELOPE, json))
			.withMessageStartingWith(path)
			.withMessageContaining(message.substring(path.length()));
	}

	@Test
	void missingRecordFieldIsRejectedNamingThePath() {
		assertThatExceptionOfType(AvroJsonException.class)
			.isThrownBy(() -> this.codec.encode(ENVELOPE, envelope("{\"id\": 1}")))
			.withMessage("$.after: field 'name' of io.kafkadr.cdc.Row is missing");
	}

	@Test
	void encoderWritesOnlyTheNextDatumAfterRejectingJson() {
		Schema schema = Codec.schema("{\"type\": \"array\", \"items\": \"long\"}");
		assertThatExceptionOfType(AvroJsonException.class).isThrownBy(() -> this.codec.encode(schema, "[1, 2, \"x\"]"));

		assertThat(this.codec.encode(schema, "[3]")).containsExactly(2, 6, 0);
	}

	private static String envelope(String after) {
		return "{\"after\": " + after + "}";
	}

}
