package io.kafkadr.avro;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Random, valid, non-recursive Avro schemas of bounded depth, the same for the same seed. Named
 * types get namespaces (explicit, inherited, or reset to the empty namespace) and are sometimes
 * referenced again by name; unions never nest and never repeat a branch name.
 */
final class RandomSchemas {

	private static final String[] NAMESPACES = { "io.kafkadr.cdc", "io.kafkadr.cdc.inner", "com.example", "" };

	private static final String[] NAMES = { "Row", "Key", "Value", "Item", "Before", "After", "Source" };

	private static final String[] FIELD_NAMES = { "id", "name", "after", "before", "op", "ts_ms", "amount", "tags", "x" };

	private final Random random;

	private final int maxDepth;

	private final Set<String> fullNames = new HashSet<>();

	private final List<Schema> defined = new ArrayList<>();

	private int counter;

	RandomSchemas(long seed) {
		this.random = new Random(seed);
		this.maxDepth = 1 + this.random.nextInt(4);
	}

	/** A top-level schema, usually a record; printed and parsed again, so it is known to be valid. */
	Schema next() {
		Schema schema = (this.random.nextInt(5) > 0) ? record(0, "") : any(0, "");
		return new Schema.Parser().parse(schema.toString());
	}

	private Schema any(int depth, String namespace) {
		if (depth >= this.maxDepth) {
			return leaf(namespace);
		}
		return switch (this.random.nextInt(10)) {
			case 0, 1 -> record(depth, namespace);
			case 2 -> Schema.createArray(any(depth + 1, namespace));
			case 3 -> Schema.createMap(any(depth + 1, namespace));
			case 4, 5 -> union(depth, namespace);
			default -> leaf(namespace);
		};
	}

	/** A type without children: a primitive, a logical type, an enum, a fixed, or a named type defined earlier. */
	private Schema leaf(String namespace) {
		return switch (this.random.nextInt(24)) {
			case 0 -> Schema.create(Schema.Type.NULL);
			case 1 -> Schema.create(Schema.Type.BOOLEAN);
			case 2, 3 -> Schema.create(Schema.Type.INT);
			case 4, 5 -> Schema.create(Schema.Type.LONG);
			case 6 -> Schema.create(Schema.Type.FLOAT);
			case 7 -> Schema.create(Schema.Type.DOUBLE);
			case 8, 9 -> Schema.create(Schema.Type.STRING);
			case 10 -> Schema.create(Schema.Type.BYTES);
			case 11 -> enumSchema(namespace);
			case 12 -> fixed(namespace, this.random.nextInt(20));
			case 13 -> decimalOnBytes();
			case 14 -> decimalOnFixed(namespace);
			case 15 -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
			case 16 -> LogicalTypes.timeMillis().addToSchema(Schema.create(Schema.Type.INT));
			case 17 -> LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
			case 18 -> timestamp();
			case 19 -> LogicalTypes.uuid().addToSchema(Schema.create(Schema.Type.STRING));
			case 20 -> LogicalTypes.uuid().addToSchema(fixed(namespace, 16));
			case 21 -> LogicalTypes.duration().addToSchema(fixed(namespace, 12));
			default -> this.defined.isEmpty() ? Schema.create(Schema.Type.STRING)
					: this.defined.get(this.random.nextInt(this.defined.size()));
		};
	}

	private Schema timestamp() {
		Schema schema = Schema.create(Schema.Type.LONG);
		return switch (this.random.nextInt(6)) {
			case 0 -> LogicalTypes.timestampMillis().addToSchema(schema);
			case 1 -> LogicalTypes.timestampMicros().addToSchema(schema);
			case 2 -> LogicalTypes.timestampNanos().addToSchema(schema);
			case 3 -> LogicalTypes.localTimestampMillis().addToSchema(schema);
			case 4 -> LogicalTypes.localTimestampMicros().addToSchema(schema);
			default -> LogicalTypes.localTimestampNanos().addToSchema(schema);
		};
	}

	private Schema decimalOnBytes() {
		int precision = 1 + this.random.nextInt(40);
		return LogicalTypes.decimal(precision, this.random.nextInt(precision + 1)).addToSchema(Schema.create(Schema.Type.BYTES));
	}

	private Schema decimalOnFixed(String namespace) {
		int size = 1 + this.random.nextInt(16);
		// The most digits a two's-complement number of that many bytes always holds.
		int maxPrecision = (int) Math.floor(Math.log10(Math.pow(2, 8 * size - 1) - 1));
		int precision = 1 + this.random.nextInt(maxPrecision);
		return LogicalTypes.decimal(precision, this.random.nextInt(precision + 1)).addToSchema(fixed(namespace, size));
	}

	private Schema record(int depth, String enclosing) {
		Name name = name(enclosing);
		Schema record = Schema.createRecord(name.simple(), (this.random.nextInt(4) == 0) ? "a record" : null, name.namespace(),
				false);
		List<Schema.Field> fields = new ArrayList<>();
		int count = this.random.nextInt(6);
		for (int i = 0; i < count; i++) {
			Schema schema = any(depth + 1, name.namespace());
			String fieldName = FIELD_NAMES[this.random.nextInt(FIELD_NAMES.length)] + "_" + i;
			Object defaultValue = (this.random.nextInt(3) == 0) ? defaultValue(schema) : null;
			fields.add(new Schema.Field(fieldName, schema, null, defaultValue));
		}
		record.setFields(fields);
		return define(record);
	}

	private Schema enumSchema(String enclosing) {
		Name name = name(enclosing);
		Set<String> symbols = new LinkedHashSet<>();
		int count = 1 + this.random.nextInt(6);
		while (symbols.size() < count) {
			symbols.add(((this.random.nextBoolean()) ? "S_" : "s") + this.random.nextInt(20));
		}
		List<String> list = List.copyOf(symbols);
		String enumDefault = this.random.nextBoolean() ? list.get(this.random.nextInt(list.size())) : null;
		return define(Schema.createEnum(name.simple(), null, name.namespace(), list, enumDefault));
	}

	private Schema fixed(String enclosing, int size) {
		Name name = name(enclosing);
		return define(Schema.createFixed(name.simple(), null, name.namespace(), size));
	}

	private Schema define(Schema named) {
		this.defined.add(named);
		return named;
	}

	/** A namespace and a simple name whose full name is new: inherited, explicit, or the empty namespace. */
	private Name name(String enclosing) {
		while (true) {
			String namespace = switch (this.random.nextInt(3)) {
				case 0 -> enclosing;
				default -> NAMESPACES[this.random.nextInt(NAMESPACES.length)];
			};
			String simple = NAMES[this.random.nextInt(NAMES.length)] + ((this.random.nextBoolean()) ? "" : ++this.counter);
			String fullName = namespace.isEmpty() ? simple : namespace + "." + simple;
			if (this.fullNames.add(fullName)) {
				return new Name(namespace, simple);
			}
		}
	}

	/** A union of distinct, non-union branches, with or without null (in any position). */
	private Schema union(int depth, String namespace) {
		List<Schema> branches = new ArrayList<>();
		Set<String> names = new HashSet<>();
		int wanted = 1 + this.random.nextInt(4);
		if (this.random.nextBoolean()) {
			add(branches, names, Schema.create(Schema.Type.NULL));
		}
		for (int attempt = 0; branches.size() < wanted && attempt < 20; attempt++) {
			Schema branch = any(depth + 1, namespace);
			if (branch.getType() != Schema.Type.UNION) {
				add(branches, names, branch);
			}
		}
		if (branches.isEmpty()) {
			branches.add(Schema.create(Schema.Type.STRING));
		}
		if (branches.size() > 1 && this.random.nextInt(3) == 0) {
			// The first branch (null, when there is one) last: null need not come first.
			branches.add(branches.remove(0));
		}
		return Schema.createUnion(branches);
	}

	private static void add(List<Schema> branches, Set<String> names, Schema branch) {
		if (names.add(branch.getFullName())) {
			branches.add(branch);
		}
	}

	/** A valid default for the schema, or null when this generator has none to offer. */
	private Object defaultValue(Schema schema) {
		return switch (schema.getType()) {
			case NULL -> JsonProperties.NULL_VALUE;
			case BOOLEAN -> this.random.nextBoolean();
			case INT -> this.random.nextInt();
			case LONG -> this.random.nextLong();
			case FLOAT -> (float) this.random.nextGaussian();
			case DOUBLE -> this.random.nextGaussian() * 1e6;
			case STRING -> "default-" + this.random.nextInt(100);
			case ENUM -> schema.getEnumSymbols().get(this.random.nextInt(schema.getEnumSymbols().size()));
			case ARRAY -> List.of();
			case MAP -> Map.of();
			case UNION -> defaultValue(schema.getTypes().get(0));
			default -> null;
		};
	}

	private record Name(String namespace, String simple) {
	}

}
