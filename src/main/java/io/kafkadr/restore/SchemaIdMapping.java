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
 * {@code schemas} step builds it ({@link #registered}); {@code waitForRegistry}, which runs on every
 * restart, confirms it against the registry (registering again what a restarted registry lost) and
 * keeps what it confirmed ({@link #confirmed}), which the topic steps and the validation use. Each
 * keeps the mapping in its own execution context ({@value #CONTEXT_KEY}), saved in the transaction
 * of the step's work. The job's execution context would not do: Spring Batch saves it only after a
 * step is recorded COMPLETED, and a restore killed in between would restart without its mapping.
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

	/** The mapping the {@code schemas} step of this step's job instance registered. */
	public static SchemaIdMapping registered(JobRepository jobRepository, StepExecution step) {
		return saved(jobRepository, step, RestoreJobConfiguration.SCHEMAS_STEP);
	}

	/** The mapping {@code waitForRegistry} last confirmed for this step's job instance. */
	public static SchemaIdMapping confirmed(JobRepository jobRepository, StepExecution step) {
		return saved(jobRepository, step, RestoreJobConfiguration.WAIT_FOR_REGISTRY_STEP);
	}

	private static SchemaIdMapping saved(JobRepository jobRepository, StepExecution step, String stepName) {
		StepExecution saving = jobRepository.getLastStepExecution(step.getJobExecution().getJobInstance(), stepName);
		if (saving == null || !saving.getExecutionContext().containsKey(CONTEXT_KEY)) {
			throw new IllegalStateException("The " + stepName + " step of this restore has not saved its schema ids");
		}
		return fromJson(saving.getExecutionContext().getString(CONTEXT_KEY));
	}

	public static SchemaIdMapping fromJson(String json) {
		if (json == null) {
			return new SchemaIdMapping(Map.of());
		}
		return new SchemaIdMapping(ArchiveJson.MAPPER.readValue(json, new TypeReference<Map<String, Integer>>() {
		}));
	}

}
