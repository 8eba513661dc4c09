package io.kafkadr.sandbox;

import java.math.BigDecimal;
import java.util.Locale;

import io.kafkadr.sandbox.ChangeScript.Row;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The four tables of the seeded shop database: their Debezium Avro schemas (key, value v1 and
 * value v2) and what their rows hold. Row values are a function of the row's id and revision, so
 * a row's {@code before} image is exactly its previous {@code after} image.
 */
enum CdcTable {

	USERS(CdcPipelineSeeder.USERS_TOPIC, 3, 35, 10, """
			{"name":"id","type":"int"}""", """
			{"name":"id","type":"int"},
			{"name":"name","type":"string"},
			{"name":"email","type":["null","string"],"default":null}""", """
			{"name":"balance","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2},"default":"\\u0000"},
			{"name":"updated_at","type":{"type":"long","logicalType":"timestamp-micros"},"default":0},
			{"name":"status","type":{"type":"enum","name":"UserStatus","symbols":["ACTIVE","SUSPENDED","CLOSED"],
			  "default":"ACTIVE"},"default":"ACTIVE"},
			{"name":"locale","type":["null","string"],"default":null}""") {

		@Override
		void fillRow(GenericRecord value, Row row) {
			String[] person = pick(Values.PEOPLE, row.id(), 1);
			value.put("id", row.id());
			value.put("name", person[0] + " " + person[1]);
			// Before the migration, a new address was all a user could change; some never gave one.
			value.put("email", (hash(row.id(), 2) % 9 == 0 && row.revision() == 0) ? null
					: Values.email(person, row.id(), hash(row.id(), 3) + row.revision()));
		}

		@Override
		void fillAddedColumns(GenericRecord value, Row row) {
			value.put("balance", cents(hash(row.id(), 10 + row.revision()) % 250_000 - 5_000));
			value.put("updated_at", row.updatedMicros());
			String status = (row.revision() >= 3 && hash(row.id(), 4) % 37 == 0) ? "CLOSED"
					: (row.revision() >= 2 && hash(row.id(), 4) % 10 == 0) ? "SUSPENDED" : "ACTIVE";
			value.put("status", symbol(value, "status", status));
			value.put("locale", pick(Values.LOCALES, row.id(), 5));
		}

	},

	PRODUCTS(CdcPipelineSeeder.PRODUCTS_TOPIC, 2, 20, 8, """
			{"name":"id","type":"int"}""", """
			{"name":"id","type":"int"},
			{"name":"sku","type":"string"},
			{"name":"name","type":"string"},
			{"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}}""", """
			{"name":"category","type":{"type":"enum","name":"Category","symbols":["BOOKS","ELECTRONICS","GARDEN",
			  "HOME","KITCHEN","TOYS","OTHER"],"default":"OTHER"},"default":"OTHER"},
			{"name":"stock","type":"int","default":0},
			{"name":"updated_at","type":{"type":"long","logicalType":"timestamp-micros"},"default":0},
			{"name":"description","type":["null","string"],"default":null}""") {

		@Override
		void fillRow(GenericRecord value, Row row) {
			Values.Product product = pick(Values.PRODUCTS, row.id(), 1);
			value.put("id", row.id());
			value.put("sku", "SKU-%05d".formatted(row.id()));
			value.put("name", product.name());
			// Each update is a price change of up to ten percent either way.
			int percent = (row.revision() == 0) ? 100 : 90 + hash(row.id(), 20 + row.revision()) % 21;
			value.put("price", cents((long) product.cents() * percent / 100));
		}

		@Override
		void fillAddedColumns(GenericRecord value, Row row) {
			value.put("category", symbol(value, "category", pick(Values.PRODUCTS, row.id(), 1).category()));
			value.put("stock", hash(row.id(), 30 + row.revision()) % 400);
			value.put("updated_at", row.updatedMicros());
			value.put("description", pick(Values.DESCRIPTIONS, row.id(), 7));
		}

	},

	ORDERS(CdcPipelineSeeder.ORDERS_TOPIC, 3, 40, 12, """
			{"name":"id","type":"int"}""", """
			{"name":"id","type":"int"},
			{"name":"user_id","type":"int"},
			{"name":"status","type":"string"},
			{"name":"total","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},
			{"name":"created_at","type":{"type":"long","logicalType":"timestamp-micros"}}""", """
			{"name":"currency","type":{"type":"enum","name":"Currency","symbols":["EUR","USD","GBP","CHF","JPY"],
			  "default":"EUR"},"default":"EUR"},
			{"name":"shipping_fee","type":{"type":"bytes","logicalType":"decimal","precision":8,"scale":2},"default":"\\u0000"},
			{"name":"updated_at","type":{"type":"long","logicalType":"timestamp-micros"},"default":0},
			{"name":"coupon_code","type":["null","string"],"default":null}""") {

		@Override
		void fillRow(GenericRecord value, Row row) {
			value.put("id", row.id());
			// Orders mostly belong to users created before them.
			value.put("user_id", 1 + hash(row.id(), 1) % row.id());
			boolean cancelled = row.revision() >= 1 && hash(row.id(), 2) % 12 == 0;
			value.put("status", cancelled ? "cancelled" : Values.ORDER_FLOW[Math.min(row.revision(), 3)]);
			value.put("total", cents(500 + hash(row.id(), 3) % 90_000));
			value.put("created_at", row.createdMicros());
		}

		@Override
		void fillAddedColumns(GenericRecord value, Row row) {
			value.put("currency", symbol(value, "currency", pick(Values.CURRENCIES, row.id(), 4)));
			value.put("shipping_fee", cents(Values.SHIPPING_FEES[hash(row.id(), 5) % Values.SHIPPING_FEES.length]));
			value.put("updated_at", row.updatedMicros());
			value.put("coupon_code", pick(Values.COUPONS, row.id(), 6));
		}

	},

	ORDER_ITEMS(CdcPipelineSeeder.ORDER_ITEMS_TOPIC, 3, 45, 15, """
			{"name":"order_id","type":"int"},
			{"name":"line_no","type":"int"}""", """
			{"name":"order_id","type":"int"},
			{"name":"line_no","type":"int"},
			{"name":"product_id","type":"int"},
			{"name":"quantity","type":"int"},
			{"name":"unit_price","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}}""", """
			{"name":"discount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2},"default":"\\u0000"},
			{"name":"fulfilment","type":{"type":"enum","name":"Fulfilment","symbols":["PENDING","PICKED","SHIPPED",
			  "RETURNED"],"default":"PENDING"},"default":"PENDING"},
			{"name":"updated_at","type":{"type":"long","logicalType":"timestamp-micros"},"default":0},
			{"name":"gift_message","type":["null","string"],"default":null}""") {

		// The primary key is (order_id, line_no): row ids map onto orders of three lines each.
		@Override
		void fillKey(GenericRecord key, int id) {
			key.put("order_id", (id - 1) / 3 + 1);
			key.put("line_no", (id - 1) % 3 + 1);
		}

		@Override
		void fillRow(GenericRecord value, Row row) {
			fillKey(value, row.id());
			value.put("product_id", 1 + hash(row.id(), 1) % Math.max(1, row.id() / 2));
			value.put("quantity", 1 + (hash(row.id(), 2) + row.revision()) % 4);
			value.put("unit_price", cents(199 + hash(row.id(), 3) % 30_000));
		}

		@Override
		void fillAddedColumns(GenericRecord value, Row row) {
			value.put("discount", cents((row.revision() > 0 && hash(row.id(), 4) % 5 == 0) ? 500 : 0));
			value.put("fulfilment", symbol(value, "fulfilment", Values.FULFILMENT[Math.min(row.revision(), 3)]));
			value.put("updated_at", row.updatedMicros());
			value.put("gift_message", pick(Values.GIFT_MESSAGES, row.id(), 8));
		}

	};

	private final String topic;

	private final int partitions;

	private final int insertPercent;

	private final int deletePercent;

	private final Schema keySchema;

	private final Schema valueV1;

	private final Schema valueV2;

	CdcTable(String topic, int partitions, int insertPercent, int deletePercent, String keyFields, String valueFields,
			String addedFields) {
		this.topic = topic;
		this.partitions = partitions;
		this.insertPercent = insertPercent;
		this.deletePercent = deletePercent;
		this.keySchema = new Schema.Parser().parse("""
				{"type":"record","name":"Key","namespace":"%1$s","fields":[%2$s],"connect.name":"%1$s.Key"}"""
			.formatted(this.topic, keyFields));
		this.valueV1 = envelope(this.topic, valueFields);
		this.valueV2 = envelope(this.topic, valueFields + ",\n" + addedFields);
	}

	/** Fills the columns the table had from the start (v1). */
	abstract void fillRow(GenericRecord value, Row row);

	/** Fills the columns the migration added (v2). */
	abstract void fillAddedColumns(GenericRecord value, Row row);

	void fillKey(GenericRecord key, int id) {
		key.put("id", id);
	}

	String topic() {
		return this.topic;
	}

	/** The table's name in the database, the last part of the topic name. */
	String table() {
		return this.topic.substring(this.topic.lastIndexOf('.') + 1);
	}

	int partitions() {
		return this.partitions;
	}

	/** Of the changes after the snapshot, the share (in percent) that insert a row. */
	int insertPercent() {
		return this.insertPercent;
	}

	/** Of the changes after the snapshot, the share (in percent) that delete a row. */
	int deletePercent() {
		return this.deletePercent;
	}

	Schema keySchema() {
		return this.keySchema;
	}

	Schema valueSchema(int version) {
		return (version == 1) ? this.valueV1 : this.valueV2;
	}

	GenericRecord key(int id) {
		GenericRecord key = new GenericData.Record(this.keySchema);
		fillKey(key, id);
		return key;
	}

	/** The row as a record of the envelope's {@code Value} schema of that version. */
	GenericRecord row(int version, Row row) {
		Schema schema = valueSchema(version).getField("after").schema().getTypes().get(1);
		GenericRecord value = new GenericData.Record(schema);
		fillRow(value, row);
		if (version > 1) {
			fillAddedColumns(value, row);
		}
		return value;
	}

	/** The schema the Debezium Postgres connector and the Avro converter produce for a table's changes. */
	private static Schema envelope(String namespace, String valueFields) {
		return new Schema.Parser().parse("""
				{"type":"record","name":"Envelope","namespace":"%1$s","fields":[
				  {"name":"before","type":["null",{"type":"record","name":"Value","fields":[
				    %2$s],"connect.name":"%1$s.Value"}],"default":null},
				  {"name":"after","type":["null","Value"],"default":null},
				  {"name":"source","type":{"type":"record","name":"Source","namespace":"io.debezium.connector.postgresql",
				    "fields":[
				      {"name":"version","type":"string"},
				      {"name":"connector","type":"string"},
				      {"name":"name","type":"string"},
				      {"name":"ts_ms","type":"long"},
				      {"name":"snapshot","type":["string","null"],"default":"false"},
				      {"name":"db","type":"string"},
				      {"name":"schema","type":"string"},
				      {"name":"table","type":"string"},
				      {"name":"txId","type":["null","long"],"default":null},
				      {"name":"lsn","type":["null","long"],"default":null}],
				    "connect.name":"io.debezium.connector.postgresql.Source"}},
				  {"name":"op","type":"string"},
				  {"name":"ts_ms","type":["null","long"],"default":null}],
				 "connect.name":"%1$s.Envelope"}""".formatted(namespace, valueFields));
	}

	/** A well-mixed non-negative number for a row and a purpose, so that columns vary independently. */
	static int hash(int id, int salt) {
		int h = id * 0x9E3779B1 + salt * 0x85EBCA6B;
		h ^= h >>> 15;
		h *= 0x2C1B3C6D;
		h ^= h >>> 12;
		return h & Integer.MAX_VALUE;
	}

	static <T> T pick(T[] options, int id, int salt) {
		return options[hash(id, salt) % options.length];
	}

	static BigDecimal cents(long cents) {
		return BigDecimal.valueOf(cents, 2);
	}

	private static GenericData.EnumSymbol symbol(GenericRecord value, String field, String symbol) {
		return new GenericData.EnumSymbol(value.getSchema().getField(field).schema(), symbol);
	}

	/** Realistic column values, with the non-ASCII text real shops store. */
	private static final class Values {

		static final String[][] PEOPLE = { { "Zoë", "Kowalczyk" }, { "José", "Álvarez" }, { "Björn", "Ødegaard" },
				{ "Łukasz", "Żółkiewski" }, { "Chloé", "Dubois" }, { "Søren", "Kierkegård" }, { "Ngọc", "Nguyễn" },
				{ "Αλέξανδρος", "Παπαδόπουλος" }, { "Мария", "Иванова" }, { "芳", "王" }, { "花子", "佐藤" },
				{ "Siobhán", "O'Brien" }, { "François", "Müller" }, { "İlkay", "Yılmaz" }, { "Priya", "Raghunathan" },
				{ "Jiří", "Dvořák" }, { "Ana Lúcia", "Gonçalves" }, { "Emma", "Smith" }, { "Liam", "Johnson" } };

		static final String[] DOMAINS = { "example.com", "mail.example.org", "exämple.de", "例え.jp", "пример.рф" };

		static final String[] LOCALES = { "de-DE", "fr-FR", "pl-PL", "ja-JP", "pt-BR", "tr-TR", "en-GB", null, null };

		record Product(String name, String category, int cents) {
		}

		static final Product[] PRODUCTS = { new Product("Espresso-Tasse „Café Crème“", "KITCHEN", 1_290),
				new Product("Gartenschere Profi 20 cm", "GARDEN", 3_499),
				new Product("Smörgås-Schneidebrett Eiche", "KITCHEN", 4_450),
				new Product("LEGO® Technic Bagger", "TOYS", 12_999),
				new Product("Nintendo Switch™ OLED", "ELECTRONICS", 34_900),
				new Product("Le Creuset Bräter Ø 28 cm", "KITCHEN", 27_900),
				new Product("Moleskine Notizbuch A5 – liniert", "BOOKS", 2_195),
				new Product("Matcha-Schale 抹茶碗", "HOME", 3_800), new Product("Crème-brûlée-Set (4×)", "KITCHEN", 2_999),
				new Product("Kühlschrankmagnete 🧲 (12 Stück)", "HOME", 699),
				new Product("Bluetooth-Kopfhörer ANC", "ELECTRONICS", 15_990),
				new Product("Der Zauberberg – Thomas Mann", "BOOKS", 1_400), new Product("Gießkanne 10 l", "GARDEN", 1_899),
				new Product("Puzzle 1000 Teile „Fjord“", "TOYS", 1_699), new Product("USB-C Ladegerät 65 W", "OTHER", 3_990) };

		static final String[] DESCRIPTIONS = { "Spülmaschinenfest.", "Fabriqué en France.", "日本製", "Ręcznie robione w Polsce.",
				"Hecho a mano ✋", "Limitierte Auflage – nur solange der Vorrat reicht!", null, null };

		static final String[] ORDER_FLOW = { "pending", "paid", "shipped", "delivered" };

		static final String[] CURRENCIES = { "EUR", "EUR", "EUR", "USD", "GBP", "CHF", "JPY" };

		static final long[] SHIPPING_FEES = { 0, 490, 490, 990 };

		static final String[] COUPONS = { "WELCOME10", "SOMMER-2025", "ÉTÉ-15", null, null, null, null, null };

		static final String[] FULFILMENT = { "PENDING", "PICKED", "SHIPPED", "RETURNED" };

		static final String[] GIFT_MESSAGES = { "Alles Gute zum Geburtstag! 🎂", "Joyeux Noël 🎄", "お誕生日おめでとう",
				"Wszystkiego najlepszego!", "Für dich ❤", null, null, null, null, null };

		private Values() {
		}

		static String email(String[] person, int id, int variant) {
			String local = (person[0] + "." + person[1]).toLowerCase(Locale.ROOT).replaceAll("[ ']", "");
			return local + id + "@" + DOMAINS[Math.floorMod(variant, DOMAINS.length)];
		}

	}

}
