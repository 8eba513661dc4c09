package io.kafkadr.bench;

import java.util.SplittableRandom;

import io.kafkadr.testing.AvroPayloads;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Debezium-style change events for the Avro data set: an envelope with {@code before}, {@code after},
 * {@code source}, {@code op} and {@code ts_ms}, about 300 bytes encoded, in two schema versions (the
 * second adds a nullable column) that alternate record by record.
 */
final class ChangeEvents {

	static final Schema KEY = new Schema.Parser().parse("""
			{"type":"record","name":"Key","namespace":"bench.public.customers","fields":[{"name":"id","type":"long"}]}""");

	static final Schema VALUE_V1 = envelope(false);

	static final Schema VALUE_V2 = envelope(true);

	private static final String[] OPS = { "c", "u", "u", "u", "d" };

	private final SplittableRandom random;

	ChangeEvents(long seed) {
		this.random = new SplittableRandom(seed);
	}

	static Schema value(int version) {
		return (version == 1) ? VALUE_V1 : VALUE_V2;
	}

	/** The Avro datum bytes of the key of row {@code id}. */
	byte[] key(long id) {
		GenericRecord key = new GenericData.Record(KEY);
		key.put("id", id);
		return AvroPayloads.datum(KEY, key);
	}

	/** The Avro datum bytes of change number {@code sequence} of row {@code id}, written with schema {@code version}. */
	byte[] value(long sequence, long id, int version) {
		Schema schema = value(version);
		String op = OPS[(int) (sequence % OPS.length)];
		GenericRecord envelope = new GenericData.Record(schema);
		long millis = 1_764_000_000_000L + sequence;
		envelope.put("before", op.equals("c") ? null : row(schema, id, version));
		envelope.put("after", op.equals("d") ? null : row(schema, id, version));
		GenericRecord source = new GenericData.Record(schema.getField("source").schema());
		source.put("version", "2.7.3.Final");
		source.put("connector", "postgresql");
		source.put("name", "bench");
		source.put("ts_ms", millis - 5);
		source.put("snapshot", "false");
		source.put("db", "shop");
		source.put("schema", "public");
		source.put("table", "customers");
		source.put("txId", 1000 + sequence);
		source.put("lsn", 24_000_000L + sequence * 64);
		envelope.put("source", source);
		envelope.put("op", op);
		envelope.put("ts_ms", millis);
		return AvroPayloads.datum(schema, envelope);
	}

	private GenericRecord row(Schema envelope, long id, int version) {
		Schema schema = envelope.getField("after").schema().getTypes().get(1);
		GenericRecord row = new GenericData.Record(schema);
		row.put("id", id);
		row.put("name", word(6) + " " + word(9));
		row.put("email", word(8) + "@example.com");
		row.put("street", this.random.nextInt(1, 300) + " " + word(12) + " Street");
		row.put("company", word(14) + " GmbH");
		row.put("city", word(10));
		row.put("balance", this.random.nextDouble() * 10_000);
		row.put("active", this.random.nextBoolean());
		row.put("updated_at", 1_764_000_000_000L + this.random.nextInt(1_000_000));
		if (version == 2) {
			row.put("phone", this.random.nextBoolean() ? null : "+49 30 " + this.random.nextInt(1_000_000, 9_999_999));
		}
		return row;
	}

	private String word(int length) {
		char[] letters = new char[length];
		for (int i = 0; i < length; i++) {
			letters[i] = (char) ('a' + this.random.nextInt(26));
		}
		return new String(letters);
	}

	private static Schema envelope(boolean withPhone) {
		String phone = withPhone ? ",{\"name\":\"phone\",\"type\":[\"null\",\"string\"],\"default\":null}" : "";
		return new Schema.Parser().parse("""
				{"type":"record","name":"Envelope","namespace":"bench.public.customers","fields":[
				  {"name":"before","type":["null",{"type":"record","name":"Value","fields":[
				    {"name":"id","type":"long"},{"name":"name","type":"string"},{"name":"email","type":"string"},{"name":"street","type":"string"},{"name":"company","type":"string"},{"name":"city","type":"string"},
				    {"name":"balance","type":"double"},{"name":"active","type":"boolean"},
				    {"name":"updated_at","type":{"type":"long","connect.name":"io.debezium.time.MicroTimestamp"}}%s]}],
				   "default":null},
				  {"name":"after","type":["null","Value"],"default":null},
				  {"name":"source","type":{"type":"record","name":"Source","namespace":"io.debezium.connector.postgresql",
				   "fields":[{"name":"version","type":"string"},{"name":"connector","type":"string"},
				    {"name":"name","type":"string"},{"name":"ts_ms","type":"long"},{"name":"snapshot","type":"string"},
				    {"name":"db","type":"string"},{"name":"schema","type":"string"},{"name":"table","type":"string"},
				    {"name":"txId","type":["null","long"],"default":null},{"name":"lsn","type":["null","long"],"default":null}]}},
				  {"name":"op","type":"string"},
				  {"name":"ts_ms","type":["null","long"],"default":null}]}""".formatted(phone));
	}

}
