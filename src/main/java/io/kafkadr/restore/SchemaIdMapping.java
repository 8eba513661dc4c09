package io.kafkadr.restore;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import io.kafkadr.archive.ArchiveJson;
import tools.jackson.core.type.TypeReference;

/**
 * Which id each writer schema of the backup has in the target registry, by fingerprint. The
 * {@code schemas} step builds it and keeps it in the job's execution context
 * ({@value #CONTEXT_KEY}); the topic steps re-encode every Avro record with it.
 */
public final class SchemaIdMapping {

	/** The job execution context key holding the mapping as JSON. */
	public static final String CONTEXT_KEY = "kafka-dr.schema-ids";

	private final Map<String, Integer> idByFingerprint;

	private final Map<Integer, String> fingerprintById = new HashMap<>();

	public SchemaIdMapping(Map<String, Integer> idByFingerprint) {
		this.idByFingerprint = new TreeMap<>(idByFingerprint);
		this.idByFingerprint.forEach((fingerprint, id) -> this.fingerprintById.put(id, fingerprint));
	}

	/** The target id of a writer schema. */
	public int id(String fingerprint) {
		Integer id = this.idByFingerprint.get(fingerprint);
		if (id == null) {
			throw new IllegalStateException("The schema " + fingerprint + " was not registered in the target registry;"
					+ " restore the backup's schemas first (the schemas step)");
		}
		return id;
	}

	/** The writer schema a target id stands for, or null for an id this restore did not register. */
	public String fingerprint(int id) {
		return this.fingerprintById.get(id);
	}

	public Map<String, Integer> asMap() {
		return this.idByFingerprint;
	}

	public String toJson() {
		return ArchiveJson.MAPPER.writeValueAsString(this.idByFingerprint);
	}

	public static SchemaIdMapping fromJson(String json) {
		if (json == null) {
			return new SchemaIdMapping(Map.of());
		}
		return new SchemaIdMapping(ArchiveJson.MAPPER.readValue(json, new TypeReference<Map<String, Integer>>() {
		}));
	}

}
