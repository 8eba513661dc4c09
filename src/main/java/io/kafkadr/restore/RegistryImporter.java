package io.kafkadr.restore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.kafkadr.archive.RegistryContents;
import io.kafkadr.archive.SchemaStore;
import io.kafkadr.archive.StoredSchema;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryException;
import io.kafkadr.registry.SchemaReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a registry from a backup through its API: every subject's versions in order (the
 * schemas they reference first), then compatibility levels and modes. It asks the registry to keep
 * the original ids (IMPORT mode) and checks what it did: where the registry assigned other ids
 * (Apicurio always does), the returned mapping says which. Registering a schema a subject already
 * has returns its id again, so a re-run repeats nothing.
 */
class RegistryImporter {

	/** Subject for schemas that records use but no backed-up subject holds (hard-deleted in the source). */
	static final String ORPHAN_SUBJECT_PREFIX = "kafka-dr.restored.";

	private static final Logger log = LoggerFactory.getLogger(RegistryImporter.class);

	private final RegistryClient target;

	private final SchemaStore schemas;

	private final Map<String, Integer> idByFingerprint = new LinkedHashMap<>();

	/** The id each backed-up subject version got, by {@code subject/version}. */
	private final Map<String, Integer> registered = new HashMap<>();

	/** The target registry's versions of a subject, by id; read only for references and deletions. */
	private final Map<String, Map<Integer, Integer>> targetVersionsById = new HashMap<>();

	private int keptIds;

	private int newIds;

	RegistryImporter(RegistryClient target, SchemaStore schemas) {
		this.target = target;
		this.schemas = schemas;
	}

	/** Imports the registry and returns the target id of every stored schema, by fingerprint. */
	Map<String, Integer> importAll(RegistryContents contents) {
		boolean importMode = enterImportMode();
		ignoringErrors("set the global compatibility to NONE for the import", () -> this.target.setGlobalCompatibility("NONE"));
		Map<String, RegistryContents.Subject> subjects = new HashMap<>();
		contents.subjects().forEach(subject -> subjects.put(subject.name(), subject));
		for (RegistryContents.Subject subject : contents.subjects()) {
			for (RegistryContents.Version version : subject.versions()) {
				register(subjects, subject.name(), version, importMode);
			}
		}
		for (String fingerprint : this.schemas.fingerprints()) {
			if (!this.idByFingerprint.containsKey(fingerprint)) {
				StoredSchema schema = this.schemas.get(fingerprint);
				register(ORPHAN_SUBJECT_PREFIX + fingerprint, fingerprint, schema, List.of(), null, null);
			}
		}
		applyDeletions(contents);
		applySettings(contents);
		log.info("Registered {} schemas in {}: {} kept their ids, {} got new ones (records are re-encoded with them)",
				this.idByFingerprint.size(), this.target.url(), this.keptIds, this.newIds);
		return this.idByFingerprint;
	}

	private void register(Map<String, RegistryContents.Subject> subjects, String subject,
			RegistryContents.Version version, boolean importMode) {
		String key = subject + "/" + version.version();
		if (this.registered.containsKey(key)) {
			return;
		}
		List<SchemaReference> references = new ArrayList<>();
		for (RegistryContents.Reference reference : version.references()) {
			Optional.ofNullable(subjects.get(reference.subject()))
				.flatMap(s -> s.versions().stream().filter(v -> v.version() == reference.version()).findFirst())
				.ifPresent(referenced -> register(subjects, reference.subject(), referenced, importMode));
			references.add(new SchemaReference(reference.name(), reference.subject(),
					targetVersion(reference.subject(), reference.version()).orElse(reference.version())));
		}
		int id = register(subject, version.fingerprint(), this.schemas.get(version.fingerprint()), references,
				importMode ? version.id() : null, importMode ? version.version() : null);
		if (id == version.id()) {
			this.keptIds++;
		}
		else {
			this.newIds++;
		}
		this.registered.put(key, id);
	}

	private int register(String subject, String fingerprint, StoredSchema schema, List<SchemaReference> references,
			Integer id, Integer version) {
		int assigned = this.target.register(subject, schema.schemaType(), schema.schema(), references, id, version);
		this.idByFingerprint.putIfAbsent(fingerprint, assigned);
		return assigned;
	}

	/**
	 * The live version the target gave a backed-up subject version (registering answers only the
	 * id); empty when the target has no live version with that id.
	 */
	private Optional<Integer> targetVersion(String subject, int version) {
		Integer id = this.registered.get(subject + "/" + version);
		if (id == null) {
			return Optional.empty();
		}
		Map<Integer, Integer> versions = this.targetVersionsById.computeIfAbsent(subject, s -> {
			Map<Integer, Integer> byId = new HashMap<>();
			this.target.versions(s, false).forEach(v -> byId.put(this.target.version(s, v).id(), v));
			return byId;
		});
		return Optional.ofNullable(versions.get(id));
	}

	private boolean enterImportMode() {
		try {
			this.target.setGlobalMode("IMPORT");
			return true;
		}
		catch (RegistryException ex) {
			log.info("The registry at {} refused IMPORT mode ({}); it will assign new ids, which records are re-encoded"
					+ " with", this.target.url(), ex.getMessage());
			return false;
		}
	}

	private void applyDeletions(RegistryContents contents) {
		for (RegistryContents.Subject subject : contents.subjects()) {
			if (subject.deleted()) {
				ignoringErrors("soft-delete subject " + subject.name(), () -> this.target.deleteSubject(subject.name()));
				continue;
			}
			for (RegistryContents.Version version : subject.versions()) {
				if (version.deleted()) {
					// absent when a previous run of this step already deleted it
					targetVersion(subject.name(), version.version()).ifPresent(targetVersion -> ignoringErrors(
							"soft-delete " + subject.name() + " version " + targetVersion,
							() -> this.target.deleteVersion(subject.name(), targetVersion)));
				}
			}
		}
	}

	private void applySettings(RegistryContents contents) {
		for (RegistryContents.Subject subject : contents.subjects()) {
			if (subject.compatibility() != null && !subject.deleted()) {
				this.target.setSubjectCompatibility(subject.name(), subject.compatibility());
			}
			if (subject.mode() != null && !subject.deleted()) {
				this.target.setSubjectMode(subject.name(), subject.mode());
			}
		}
		this.target.setGlobalCompatibility((contents.compatibility() != null) ? contents.compatibility() : "BACKWARD");
		String mode = (contents.mode() != null) ? contents.mode() : "READWRITE";
		ignoringErrors("set the global mode to " + mode, () -> this.target.setGlobalMode(mode));
	}

	/** For settings some registries do not support; the validation report shows what differs. */
	private void ignoringErrors(String what, Runnable action) {
		try {
			action.run();
		}
		catch (RegistryException ex) {
			log.warn("Could not {} in the registry at {}: {}", what, this.target.url(), ex.getMessage());
		}
	}

}
