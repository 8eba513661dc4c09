package io.kafkadr.restore;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import io.kafkadr.archive.ArchiveJson;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import tools.jackson.core.type.TypeReference;

/**
 * Which id each writer schema of the backup has in the target registry, by fingerprint. The
 * {@code schemas} step builds it and keeps it in its own execution context ({@value #CONTEXT_KEY}),
 * which Spring Batch saves in the same transaction as the step's work; later steps read it from
 * there ({@link #of}). The job's execution context would not do: it is saved only after the step is
 * recorded COMPLETED, and a restore killed in between would restart without its mapping.
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

	/** The mapping the {@code schemas} step of this step's job instance saved. */
	public static SchemaIdMapping of(JobRepository jobRepository, StepExecution step) {
		StepExecution schemas = jobRepository.getLastStepExecution(step.getJobExecution().getJobInstance(),
				RestoreJobConfiguration.SCHEMAS_STEP);
		if (schemas == null || !schemas.getExecutionContext().containsKey(CONTEXT_KEY)) {
			throw new IllegalStateException("The schemas step of this restore has not saved its schema ids yet");
		}
		return fromJson(schemas.getExecutionContext().getString(CONTEXT_KEY));
	}

	public static SchemaIdMapping fromJson(String json) {
		if (json == null) {
			return new SchemaIdMapping(Map.of());
		}
		return new SchemaIdMapping(ArchiveJson.MAPPER.readValue(json, new TypeReference<Map<String, Integer>>() {
		}));
	}

}
