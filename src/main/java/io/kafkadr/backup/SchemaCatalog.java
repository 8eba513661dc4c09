package io.kafkadr.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkadr.archive.SchemaStore;
import io.kafkadr.archive.StoredSchema;
import io.kafkadr.archive.WriterSchema;
import io.kafkadr.avro.WireFormat;
import io.kafkadr.registry.ApicurioRegistry;
import io.kafkadr.registry.RegisteredSchema;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.SchemaNotFoundException;
import io.kafkadr.registry.SchemaReference;
import io.kafkadr.registry.SubjectVersion;

/**
 * The writer schemas of one backup by registry id (of each {@link WireFormat.IdKind}): fetched from
 * the registry once per id, stored in the backup (with the schemas they reference) before any
 * record that uses them, and cached. Thread-safe; shared by every partition of a backup.
 */
public class SchemaCatalog implements WriterSchema.Lookup {

	private final RegistryClient registry;

	private final SchemaStore store;

	private final Map<String, WriterSchema> byId = new ConcurrentHashMap<>();

	public SchemaCatalog(RegistryClient registry, SchemaStore store) {
		this.registry = registry;
		this.store = store;
	}

	@Override
	public WriterSchema byId(WireFormat.IdKind kind, long schemaId) {
		return this.byId.computeIfAbsent(kind + ":" + schemaId, key -> fetch(kind, schemaId));
	}

	/** Stores a subject version (and what it references) in the backup; returns its fingerprint. */
	public String store(SubjectVersion version) {
		return this.store.put(stored(version.schemaType(), version.schema(), version.references()));
	}

	private WriterSchema fetch(WireFormat.IdKind kind, long schemaId) {
		if (this.registry == null) {
			throw new UnresolvableSchemaException("kafka-dr.registry.url is not set. Set it to the Schema Registry the"
					+ " topics were written with");
		}
		RegisteredSchema schema = switch (kind) {
			case CONFLUENT -> confluentSchema(schemaId);
			case GLOBAL, CONTENT -> apicurioSchema(kind, schemaId);
		};
		if (!"AVRO".equals(schema.schemaType())) {
			throw new UnresolvableSchemaException("Schema id " + schemaId + " is a " + schema.schemaType() + " schema; only Avro"
					+ " topics can be decoded. List the topic under kafka-dr.topics.raw to keep its bytes exactly.");
		}
		String fingerprint = this.store.put(stored(schema.schemaType(), schema.schema(), schema.references()));
		return new WriterSchema(fingerprint, this.store.avroSchema(fingerprint));
	}

	private RegisteredSchema confluentSchema(long schemaId) {
		try {
			return this.registry.schemaById((int) schemaId);
		}
		catch (SchemaNotFoundException ex) {
			throw new UnresolvableSchemaException("the registry at " + this.registry.url() + " has no schema with that"
					+ " id. Either the payload is framed otherwise (the id above is then meaningless), or the registry is"
					+ " not the one these records were written with: point kafka-dr.registry.url at that one", ex);
		}
	}

	/** Apicurio's global and content ids resolve through its own API, to the subject version that holds them. */
	private RegisteredSchema apicurioSchema(WireFormat.IdKind kind, long schemaId) {
		ApicurioRegistry apicurio = this.registry.apicurio()
			.orElseThrow(() -> new UnresolvableSchemaException("Apicurio " + kind.name().toLowerCase(Locale.ROOT)
					+ " ids resolve only in an Apicurio Registry, and the registry at " + this.registry.url()
					+ " is not one (its /apis/registry/v3 API does not answer)"));
		ApicurioRegistry.ArtifactVersion version = ((kind == WireFormat.IdKind.GLOBAL) ? apicurio.byGlobalId(schemaId)
				: apicurio.byContentId(schemaId))
			.orElseThrow(() -> new UnresolvableSchemaException("the Apicurio Registry at " + apicurio.url() + " has no"
					+ " version with that " + kind.name().toLowerCase(Locale.ROOT) + " id. Either the payload is"
					+ " framed otherwise, or the registry is not the one these records were written with"));
		if (!version.isSubjectVersion()) {
			throw new UnresolvableSchemaException("the schema is version " + version.version() + " of artifact "
					+ version.artifactId() + " in group " + version.groupId() + ", which Apicurio's Confluent-compatible"
					+ " API does not show; kafka-dr backs up the registry through that API");
		}
		SubjectVersion subjectVersion = this.registry.version(version.artifactId(), Integer.parseInt(version.version()));
		return new RegisteredSchema(subjectVersion.id(), subjectVersion.schemaType(), subjectVersion.schema(),
				subjectVersion.references());
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
