package io.kafkadr.restore;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import io.kafkadr.archive.ArchiveJson;
import io.kafkadr.archive.Payload;
import io.kafkadr.archive.RegistryContents;
import io.kafkadr.avro.WireFormat;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import tools.jackson.databind.JsonNode;

/**
 * Which id each writer schema of the backup has in the target registry. Normally the original
 * ones ({@link #kept}): a key's bytes carry its schema id and producers partition by hashing the
 * whole key, so records are written byte for byte. Only when the user accepted new ids
 * ({@code --allow-new-schema-ids}) do Confluent-framed payloads get the id the target assigned
 * ({@link #reassigned}).
 *
 * <p>The {@code schemas} step builds it; {@code waitForRegistry}, which runs on every restart,
 * confirms it against the registry and keeps what it confirmed, which the topic steps and the
 * validation use. Each keeps the mapping in its own execution context ({@value #CONTEXT_KEY}),
 * saved in the transaction of the step's work. The job's execution context would not do: Spring
 * Batch saves it only after a step is recorded COMPLETED, and a restore killed in between would
 * restart without its mapping.
 */
public final class SchemaIdMapping {

	/** The step execution context key holding the mapping as JSON. */
	public static final String CONTEXT_KEY = "kafka-dr.schema-ids";

	private final boolean kept;

	/** The target's Confluent-API id of each writer schema, by fingerprint. */
	private final Map<String, Integer> confluentIds;

	/** The fingerprint of each target id, by {@code KIND:id}. */
	private final Map<String, String> fingerprints;

	/** The source registry's Confluent-API id of each writer schema, by fingerprint. */
	private final Map<String, Integer> originalIds;

	private SchemaIdMapping(boolean kept, Map<String, Integer> confluentIds, Map<String, String> fingerprints,
			Map<String, Integer> originalIds) {
		this.kept = kept;
		this.confluentIds = new TreeMap<>(confluentIds);
		this.fingerprints = new TreeMap<>(fingerprints);
		this.originalIds = new TreeMap<>(originalIds);
	}

	/** Every schema under the ids it had in the source registry. */
	public static SchemaIdMapping kept(RegistryContents contents) {
		Map<String, String> fingerprints = new HashMap<>();
		contents.subjects().forEach(subject -> subject.versions().forEach(version -> {
			fingerprints.putIfAbsent(key(WireFormat.IdKind.CONFLUENT, version.id()), version.fingerprint());
			if (version.globalId() != null) {
				fingerprints.putIfAbsent(key(WireFormat.IdKind.GLOBAL, version.globalId()), version.fingerprint());
			}
			if (version.contentId() != null) {
				fingerprints.putIfAbsent(key(WireFormat.IdKind.CONTENT, version.contentId()), version.fingerprint());
			}
		}));
		Map<String, Integer> original = originalIds(contents);
		return new SchemaIdMapping(true, original, fingerprints, original);
	}

	/** Schemas under the Confluent-API ids the target registry assigned them, by fingerprint. */
	public static SchemaIdMapping reassigned(RegistryContents contents, Map<String, Integer> targetIds) {
		Map<String, String> fingerprints = new HashMap<>();
		targetIds.forEach((fingerprint, id) -> fingerprints.putIfAbsent(key(WireFormat.IdKind.CONFLUENT, id), fingerprint));
		Map<String, Integer> original = originalIds(contents);
		boolean same = targetIds.entrySet().stream().allMatch(e -> e.getValue().equals(original.get(e.getKey())));
		return same ? kept(contents) : new SchemaIdMapping(false, targetIds, fingerprints, original);
	}

	/** No schemas (a backup without Avro topics, or a restore that writes none). */
	public static SchemaIdMapping none() {
		return new SchemaIdMapping(true, Map.of(), Map.of(), Map.of());
	}

	/** Whether every schema kept its original ids, so every record is written byte for byte. */
	public boolean kept() {
		return this.kept;
	}

	/** The id a payload carries in the target. */
	public long targetId(Payload.Avro payload) {
		if (this.kept) {
			return payload.schemaId();
		}
		if (payload.wire().idKind() != WireFormat.IdKind.CONFLUENT) {
			throw new IllegalStateException("A payload framed as " + payload.wire().label() + " cannot be given a new id;"
					+ " restore into an Apicurio registry that can take the backup's ids");
		}
		Integer id = this.confluentIds.get(payload.fingerprint());
		if (id == null) {
			throw new IllegalStateException("The schema " + payload.fingerprint() + " was not registered in the target"
					+ " registry; restore the backup's schemas first (the schemas step)");
		}
		return id;
	}

	/** The writer schema a target id stands for, or null for an id this restore did not give any schema. */
	public String fingerprint(WireFormat.IdKind kind, long id) {
		return this.fingerprints.get(key(kind, id));
	}

	/** The source registry's Confluent-API id of a writer schema, or null. */
	public Integer originalId(String fingerprint) {
		return this.originalIds.get(fingerprint);
	}

	/** The target's Confluent-API id of every writer schema, by fingerprint. */
	public Map<String, Integer> asMap() {
		return this.confluentIds;
	}

	public String toJson() {
		Map<String, Object> json = new TreeMap<>();
		json.put("kept", this.kept);
		json.put("confluentIds", this.confluentIds);
		json.put("fingerprints", this.fingerprints);
		json.put("originalIds", this.originalIds);
		return ArchiveJson.MAPPER.writeValueAsString(json);
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
			return none();
		}
		JsonNode node = ArchiveJson.MAPPER.readTree(json);
		if (!node.has("kept")) {
			// Saved by a release that always re-encoded: fingerprint to new Confluent-API id.
			Map<String, Integer> ids = new HashMap<>();
			Map<String, String> fingerprints = new HashMap<>();
			node.properties().forEach(e -> {
				ids.put(e.getKey(), e.getValue().intValue());
				fingerprints.put(key(WireFormat.IdKind.CONFLUENT, e.getValue().intValue()), e.getKey());
			});
			return new SchemaIdMapping(false, ids, fingerprints, Map.of());
		}
		Map<String, Integer> confluentIds = new HashMap<>();
		node.path("confluentIds").properties().forEach(e -> confluentIds.put(e.getKey(), e.getValue().intValue()));
		Map<String, String> fingerprints = new HashMap<>();
		node.path("fingerprints").properties().forEach(e -> fingerprints.put(e.getKey(), e.getValue().stringValue()));
		Map<String, Integer> originalIds = new HashMap<>();
		node.path("originalIds").properties().forEach(e -> originalIds.put(e.getKey(), e.getValue().intValue()));
		return new SchemaIdMapping(node.path("kept").booleanValue(), confluentIds, fingerprints, originalIds);
	}

	private static Map<String, Integer> originalIds(RegistryContents contents) {
		Map<String, Integer> ids = new HashMap<>();
		contents.subjects()
			.forEach(subject -> subject.versions().forEach(version -> ids.putIfAbsent(version.fingerprint(), version.id())));
		return ids;
	}

	private static String key(WireFormat.IdKind kind, long id) {
		return kind + ":" + id;
	}

}
