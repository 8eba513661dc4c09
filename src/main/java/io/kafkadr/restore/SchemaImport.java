package io.kafkadr.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.RegistryContents;
import io.kafkadr.archive.SchemaStore;
import io.kafkadr.registry.ApicurioRegistry;
import io.kafkadr.registry.RegisteredSchema;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.SchemaNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the backup's schemas into the target registry under their original ids, or says why it
 * cannot before anything is written ({@link #obstacle}):
 *
 * <ul>
 * <li>an Apicurio registry gets the source registry's own export (kept in the backup when the
 * source was Apicurio), which keeps global and content ids; its Confluent-compatible API would
 * accept IMPORT mode and then assign ids of its own;</li>
 * <li>any other registry is asked, through the Confluent API, to register each version under its
 * id in IMPORT mode, and what it did is checked.</li>
 * </ul>
 *
 * A target that already holds one of the ids for another schema cannot take the backup as it was.
 * With {@code --allow-new-schema-ids} the schemas are registered under whatever ids the target
 * gives ({@link RegistryImporter}) and Confluent-framed records are re-encoded with them.
 */
class SchemaImport {

	private static final Logger log = LoggerFactory.getLogger(SchemaImport.class);

	private final RegistryClient target;

	private final BackupDirectory backup;

	private final boolean allowNewIds;

	private final RegistryContents contents;

	private final SchemaStore schemas;

	SchemaImport(RegistryClient target, BackupDirectory backup, boolean allowNewIds) {
		this.target = target;
		this.backup = backup;
		this.allowNewIds = allowNewIds;
		this.contents = backup.read(BackupDirectory.REGISTRY, RegistryContents.class);
		this.schemas = new SchemaStore(backup);
	}

	/**
	 * The refusal of new ids for records that carry Apicurio global or content ids: kafka-dr re-encodes
	 * Confluent-framed ids only.
	 */
	static RestoreRefusedException cannotRenumber(String obstacle, long apicurioIds) {
		return new RestoreRefusedException("The backup's schemas cannot keep their ids (" + obstacle + "), and "
				+ apicurioIds + " records carry Apicurio global or content ids, which kafka-dr cannot give new"
				+ " values. Nothing was written. Restore into an empty Apicurio registry.");
	}

	/** Why the target cannot take the backup's schemas under their ids; empty when it can. Writes nothing. */
	Optional<String> obstacle() {
		if (versions().isEmpty()) {
			return Optional.empty();
		}
		Optional<ApicurioRegistry> apicurio = this.target.apicurio();
		if (apicurio.isPresent()) {
			if (this.backup.readBytes(BackupDirectory.REGISTRY_EXPORT).isEmpty()) {
				return Optional.of("the target registry at " + this.target.url() + " is an Apicurio Registry, which keeps"
						+ " ids only when it imports an Apicurio export, and the backup has none (its source registry was"
						+ " not Apicurio, or it was made by a kafka-dr older than backup format 2); restore into a registry"
						+ " that takes requested ids through the Confluent API (IMPORT mode)");
			}
			List<String> conflicts = apicurioConflicts(apicurio.get().versions());
			return conflicts.isEmpty() ? Optional.empty()
					: Optional.of("the target registry at " + this.target.url() + " already holds other schemas under "
							+ "ids of the backup: " + describe(conflicts) + "; restore into an empty registry");
		}
		List<String> conflicts = confluentConflicts();
		return conflicts.isEmpty() ? Optional.empty()
				: Optional.of("the target registry at " + this.target.url() + " already holds other schemas under ids of"
						+ " the backup: " + describe(conflicts) + "; restore into an empty registry");
	}

	/** Imports the schemas and returns where each one now is. */
	SchemaIdMapping run() {
		if (versions().isEmpty() && this.schemas.fingerprints().isEmpty()) {
			return SchemaIdMapping.none();
		}
		Optional<String> obstacle = obstacle();
		if (obstacle.isPresent()) {
			if (!this.allowNewIds) {
				throw new IllegalStateException("The backup's schemas cannot keep their ids: " + obstacle.get()
						+ ", or run the restore with --allow-new-schema-ids to accept new ids (keys then change bytes and"
						+ " may hash to other partitions).");
			}
			log.warn("The schemas get new ids, as --allow-new-schema-ids allows: {}", obstacle.get());
			return SchemaIdMapping.reassigned(this.contents, new RegistryImporter(this.target, this.schemas)
				.importAll(this.contents));
		}
		Optional<ApicurioRegistry> apicurio = this.target.apicurio();
		if (apicurio.isPresent()) {
			return importApicurio(apicurio.get());
		}
		SchemaIdMapping mapping = SchemaIdMapping.reassigned(this.contents,
				new RegistryImporter(this.target, this.schemas).importAll(this.contents));
		if (!mapping.kept() && !this.allowNewIds) {
			throw new IllegalStateException("The registry at " + this.target.url() + " registered the backup's schemas"
					+ " under ids of its own although it accepted IMPORT mode, so the restore stops before writing any"
					+ " record. Restore into a registry that keeps requested ids, or run the restore with"
					+ " --allow-new-schema-ids to accept new ids.");
		}
		return mapping;
	}

	private SchemaIdMapping importApicurio(ApicurioRegistry apicurio) {
		List<ApicurioRegistry.ArtifactVersion> present = apicurio.versions();
		Map<Long, ApicurioRegistry.ArtifactVersion> byGlobalId = byGlobalId(present);
		boolean missing = versions().stream().anyMatch(version -> !byGlobalId.containsKey(version.globalId()));
		if (missing) {
			byte[] export = this.backup.readBytes(BackupDirectory.REGISTRY_EXPORT).orElseThrow();
			// Apicurio skips what clashes when it imports into a registry that is not empty; obstacle() ruled clashes out.
			apicurio.importExport(export, present.isEmpty());
			log.info("Imported the source registry's export into the Apicurio Registry at {}: {} versions with their ids",
					apicurio.url(), versions().size());
		}
		List<ApicurioRegistry.ArtifactVersion> imported = apicurio.versions();
		List<String> conflicts = apicurioConflicts(imported);
		List<String> absent = new ArrayList<>();
		Map<Long, ApicurioRegistry.ArtifactVersion> after = byGlobalId(imported);
		versions().stream()
			.filter(version -> !after.containsKey(version.globalId()))
			.forEach(version -> absent.add(version.subject() + " version " + version.version().version()));
		if (!conflicts.isEmpty() || !absent.isEmpty()) {
			throw new IllegalStateException("After importing the backup's registry export, the Apicurio Registry at "
					+ apicurio.url() + " does not hold the backup's schemas under their ids: "
					+ describe(conflicts) + (absent.isEmpty() ? "" : " missing " + describe(absent))
					+ ". Restore into an empty registry.");
		}
		return SchemaIdMapping.kept(this.contents);
	}

	private static Map<Long, ApicurioRegistry.ArtifactVersion> byGlobalId(List<ApicurioRegistry.ArtifactVersion> versions) {
		return versions.stream()
			.collect(Collectors.toMap(ApicurioRegistry.ArtifactVersion::globalId, Function.identity(), (a, b) -> a));
	}

	/** Backed-up versions whose global or content id the Apicurio target (its versions {@code present}) uses otherwise. */
	private List<String> apicurioConflicts(List<ApicurioRegistry.ArtifactVersion> present) {
		Map<Long, ApicurioRegistry.ArtifactVersion> byGlobalId = byGlobalId(present);
		List<String> conflicts = new ArrayList<>();
		for (SubjectVersion version : versions()) {
			if (version.globalId() == null) {
				continue;
			}
			ApicurioRegistry.ArtifactVersion found = byGlobalId.get(version.globalId());
			if (found != null && !(found.artifactId().equals(version.subject())
					&& found.version().equals(Integer.toString(version.version().version()))
					&& found.contentId() == version.contentId())) {
				conflicts.add("global id " + version.globalId() + " (" + version.subject() + " version "
						+ version.version().version() + " in the backup, " + found.artifactId() + " version "
						+ found.version() + " in the target)");
			}
			else if (found == null && present.stream().anyMatch(p -> p.contentId() == version.contentId())
					&& !sameSchema(version.version().fingerprint(), version.contentId())) {
				conflicts.add("content id " + version.contentId() + " (" + version.subject() + " version "
						+ version.version().version() + " in the backup, another schema in the target)");
			}
		}
		return conflicts;
	}

	/** Backed-up versions whose id a Confluent-API target has for another schema. */
	private List<String> confluentConflicts() {
		List<String> conflicts = new ArrayList<>();
		versions().stream()
			.map(version -> version.version())
			.collect(Collectors.toMap(RegistryContents.Version::id, RegistryContents.Version::fingerprint, (a, b) -> a))
			.forEach((id, fingerprint) -> registered(id)
				.filter(found -> !this.schemas.isSchema(fingerprint, found.schemaType(), found.schema()))
				.ifPresent(found -> conflicts.add("id " + id)));
		return conflicts;
	}

	/** Whether the target's Confluent-API id resolves to this backed-up schema. */
	private boolean sameSchema(String fingerprint, long confluentId) {
		return registered(confluentId)
			.map(found -> this.schemas.isSchema(fingerprint, found.schemaType(), found.schema()))
			.orElse(false);
	}

	private Optional<RegisteredSchema> registered(long confluentId) {
		try {
			return Optional.of(this.target.schemaById((int) confluentId));
		}
		catch (SchemaNotFoundException ex) {
			return Optional.empty();
		}
	}

	private List<SubjectVersion> versions() {
		List<SubjectVersion> versions = new ArrayList<>();
		this.contents.subjects()
			.forEach(subject -> subject.versions().forEach(version -> versions.add(new SubjectVersion(subject.name(), version))));
		return versions;
	}

	private static String describe(List<String> items) {
		return String.join(", ", items.subList(0, Math.min(items.size(), 10)))
				+ ((items.size() > 10) ? " and " + (items.size() - 10) + " more" : "");
	}

	private record SubjectVersion(String subject, RegistryContents.Version version) {

		Long globalId() {
			return this.version.globalId();
		}

		long contentId() {
			return (this.version.contentId() != null) ? this.version.contentId() : this.version.id();
		}

	}

}
