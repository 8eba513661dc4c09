package io.kafkadr.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkadr.archive.SchemaStore;
import io.kafkadr.archive.StoredSchema;
import io.kafkadr.archive.WriterSchema;
import io.kafkadr.registry.RegisteredSchema;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.SchemaNotFoundException;
import io.kafkadr.registry.SchemaReference;
import io.kafkadr.registry.SubjectVersion;

/**
 * The writer schemas of one backup by registry id: fetched from the registry once per id, stored in
 * the backup (with the schemas they reference) before any record that uses them, and cached.
 * Thread-safe; shared by every partition of a backup.
 */
public class SchemaCatalog implements WriterSchema.Lookup {

	private final RegistryClient registry;

	private final SchemaStore store;

	private final Map<Integer, WriterSchema> byId = new ConcurrentHashMap<>();

	public SchemaCatalog(RegistryClient registry, SchemaStore store) {
		this.registry = registry;
		this.store = store;
	}

	@Override
	public WriterSchema byId(int schemaId) {
		return this.byId.computeIfAbsent(schemaId, this::fetch);
	}

	/** Stores a subject version (and what it references) in the backup; returns its fingerprint. */
	public String store(SubjectVersion version) {
		return this.store.put(stored(version.schemaType(), version.schema(), version.references()));
	}

	private WriterSchema fetch(int schemaId) {
		if (this.registry == null) {
			throw new UnresolvableSchemaException("A record carries Avro schema id " + schemaId
					+ " but kafka-dr.registry.url is not set. Set it to the Schema Registry the topics were written with.");
		}
		RegisteredSchema schema;
		try {
			schema = this.registry.schemaById(schemaId);
		}
		catch (SchemaNotFoundException ex) {
			throw new UnresolvableSchemaException("A record references Avro schema id " + schemaId + ", which the registry at "
					+ this.registry.url() + " does not know. The registry was rebuilt or is not the one these records were"
					+ " written with: point kafka-dr.registry.url at the right registry, or list the topic under"
					+ " kafka-dr.topics.raw to keep its bytes without decoding.", ex);
		}
		if (!"AVRO".equals(schema.schemaType())) {
			throw new UnresolvableSchemaException("Schema id " + schemaId + " is a " + schema.schemaType() + " schema; only Avro"
					+ " topics can be decoded. List the topic under kafka-dr.topics.raw to keep its bytes exactly.");
		}
		String fingerprint = this.store.put(stored(schema.schemaType(), schema.schema(), schema.references()));
		return new WriterSchema(fingerprint, this.store.avroSchema(fingerprint));
	}

	private StoredSchema stored(String schemaType, String schema, List<SchemaReference> references) {
		List<StoredSchema.Reference> resolved = new ArrayList<>();
		for (SchemaReference reference : references) {
			String fingerprint = store(this.registry.version(reference.subject(), reference.version()));
			resolved.add(new StoredSchema.Reference(reference.name(), reference.subject(), reference.version(), fingerprint));
		}
		return new StoredSchema(schemaType, schema, resolved);
	}

}
