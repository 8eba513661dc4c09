package io.kafkadr.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.kafkadr.avro.ConfluentWireFormat;
import io.kafkadr.sandbox.ChangeScript.Change;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Turns a table's changes into the records the Debezium Postgres connector writes through the
 * Confluent Avro converter: Avro key and envelope in the Confluent wire format, partitioned by the
 * key bytes, and after each delete a tombstone, so that compaction can drop the row's history.
 *
 * <p>Encoding the Avro datums needs no registry, so it happens in {@link #encode} while the schemas
 * are being registered; {@link #records} adds the schema ids once they are known.
 */
final class DebeziumRecords {

	static final String CONNECTOR_NAME_HEADER = "__debezium.context.connectorName";

	private static final String DEBEZIUM_VERSION = "2.7.3.Final";

	private final CdcTable table;

	private final Timeline timeline;

	private final Map<Schema, GenericDatumWriter<Object>> writers = new IdentityHashMap<>();

	private final GenericData model = new GenericData();

	private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);

	private BinaryEncoder encoder;

	/** A change's key and envelope as Avro binary, waiting for their schema ids. */
	record Encoded(CdcTable table, Change change, long millis, byte[] key, byte[] value) {
	}

	/** The registry ids of a table's key schema and its value schema versions 1 and 2. */
	record SchemaIds(int key, int valueV1, int valueV2) {

		int value(int version) {
			return (version == 1) ? this.valueV1 : this.valueV2;
		}

	}

	DebeziumRecords(CdcTable table, Timeline timeline) {
		this.table = table;
		this.timeline = timeline;
		this.model.addLogicalTypeConversion(new Conversions.DecimalConversion());
	}

	Encoded encode(Change change) {
		long millis = this.timeline.millis(change.sequence());
		return new Encoded(this.table, change, millis, encode(this.table.keySchema(), this.table.key(change.rowId())),
				encode(this.table.valueSchema(change.schemaVersion()), envelope(change, millis)));
	}

	/** The change's record, followed by a tombstone if it is a delete. */
	static List<ProducerRecord<byte[], byte[]>> records(Encoded encoded, SchemaIds ids) {
		String topic = encoded.table().topic();
		byte[] key = ConfluentWireFormat.encode(ids.key(), encoded.key());
		byte[] value = ConfluentWireFormat.encode(ids.value(encoded.change().schemaVersion()), encoded.value());
		int partition = SeedProducer.partition(key, encoded.table().partitions());
		ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition, encoded.millis(), key, value,
				headers());
		if (!encoded.change().op().equals("d")) {
			return List.of(record);
		}
		return List.of(record, new ProducerRecord<>(topic, partition, encoded.millis(), key, null, headers()));
	}

	private GenericRecord envelope(Change change, long millis) {
		Schema schema = this.table.valueSchema(change.schemaVersion());
		GenericRecord envelope = new GenericData.Record(schema);
		envelope.put("before", (change.before() != null) ? this.table.row(change.schemaVersion(), change.before()) : null);
		envelope.put("after", (change.after() != null) ? this.table.row(change.schemaVersion(), change.after()) : null);
		envelope.put("source", source(schema.getField("source").schema(), change, millis));
		envelope.put("op", change.op());
		envelope.put("ts_ms", millis);
		return envelope;
	}

	private GenericRecord source(Schema schema, Change change, long millis) {
		GenericRecord source = new GenericData.Record(schema);
		source.put("version", DEBEZIUM_VERSION);
		source.put("connector", "postgresql");
		source.put("name", ConnectTopics.TOPIC_PREFIX);
		// The commit in the database happened a few milliseconds before the connector captured it.
		source.put("ts_ms", millis - 3 - change.sequence() % 97);
		source.put("snapshot", change.snapshot());
		source.put("db", "shop");
		source.put("schema", "public");
		source.put("table", this.table.table());
		source.put("txId", this.timeline.txId(change.sequence()));
		source.put("lsn", this.timeline.lsn(change.sequence()));
		return source;
	}

	/** The context headers Debezium adds to every record it emits, tombstones included. */
	private static RecordHeaders headers() {
		RecordHeaders headers = new RecordHeaders();
		headers.add("__debezium.context.connectorLogicalName", utf8(ConnectTopics.TOPIC_PREFIX));
		headers.add("__debezium.context.taskId", utf8("0"));
		headers.add(CONNECTOR_NAME_HEADER, utf8("postgresql"));
		return headers;
	}

	private byte[] encode(Schema schema, Object datum) {
		this.buffer.reset();
		this.encoder = EncoderFactory.get().binaryEncoder(this.buffer, this.encoder);
		try {
			this.writers.computeIfAbsent(schema, (s) -> new GenericDatumWriter<>(s, this.model))
				.write(datum, this.encoder);
			this.encoder.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return this.buffer.toByteArray();
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
