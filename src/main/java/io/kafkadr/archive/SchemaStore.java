package io.kafkadr.archive;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkadr.avro.AvroSchemas;
import io.kafkadr.storage.StorageException;
import io.kafkadr.storage.StoredObject;
import org.apache.avro.Schema;

/**
 * The writer schemas of one backup, each stored once under {@code schemas/<fingerprint>.json}.
 * Parsed schemas are cached; thread-safe.
 */
public final class SchemaStore {

	private final BackupDirectory backup;

	private final Map<String, Schema> parsed = new ConcurrentHashMap<>();

	public SchemaStore(BackupDirectory backup) {
		this.backup = backup;
	}

	/** Stores the schema unless a schema with its fingerprint is already stored; returns the fingerprint. */
	public String put(StoredSchema schema) {
		String fingerprint = schema.fingerprint();
		this.backup.writeOnce(path(fingerprint), schema);
		return fingerprint;
	}

	/** The fingerprints of every schema stored in the backup, in order. */
	public List<String> fingerprints() {
		return this.backup.files(BackupDirectory.SCHEMAS + "/")
			.stream()
			.map(StoredObject::name)
			.filter(name -> name.endsWith(".json") && !name.startsWith("."))
			.map(name -> name.substring(0, name.length() - ".json".length()))
			.sorted()
			.toList();
	}

	public boolean contains(String fingerprint) {
		return this.backup.contains(path(fingerprint));
	}

	public StoredSchema get(String fingerprint) {
		if (!contains(fingerprint)) {
			throw new StorageException("The backup " + this.backup.id() + " has no schema " + fingerprint + " (expected "
					+ path(fingerprint) + "); the backup is damaged.");
		}
		return this.backup.read(path(fingerprint), StoredSchema.class);
	}

	/** The parsed Avro schema with this fingerprint, its references resolved from the store. */
	public Schema avroSchema(String fingerprint) {
		return this.parsed.computeIfAbsent(fingerprint, this::parse);
	}

	/**
	 * Whether a schema as a registry returned it is the stored one: the same type and, for Avro, the
	 * same schema once parsed with the stored one's references (formatting and attribute order do
	 * not count). Other types are compared by type only, as registries reformat their texts.
	 */
	public boolean isSchema(String fingerprint, String schemaType, String text) {
		StoredSchema expected = get(fingerprint);
		if (!expected.schemaType().equals(schemaType)) {
			return false;
		}
		return !"AVRO".equals(schemaType) || AvroSchemas.parse(text, referencedTexts(expected)).equals(avroSchema(fingerprint));
	}

	private Schema parse(String fingerprint) {
		StoredSchema schema = get(fingerprint);
		return AvroSchemas.parse(schema.schema(), referencedTexts(schema));
	}

	/** The texts of the schemas a schema references, each after the ones it references. */
	private List<String> referencedTexts(StoredSchema schema) {
		Set<String> order = new LinkedHashSet<>();
		collectReferences(schema, order);
		List<String> referenced = new ArrayList<>();
		for (String reference : order) {
			referenced.add(get(reference).schema());
		}
		return referenced;
	}

	/** Depth-first, so that every schema comes after the ones it references. */
	private void collectReferences(StoredSchema schema, Set<String> order) {
		for (StoredSchema.Reference reference : schema.references()) {
			if (!order.contains(reference.fingerprint())) {
				collectReferences(get(reference.fingerprint()), order);
				order.add(reference.fingerprint());
			}
		}
	}

	static String path(String fingerprint) {
		return BackupDirectory.SCHEMAS + "/" + fingerprint + ".json";
	}

}
