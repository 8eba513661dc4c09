package io.kafkadr.registry;

import java.util.List;

/**
 * Everything a schema registry holds, as {@link RegistryExporter} read it: what a restore needs to
 * rebuild the registry with the same subjects, versions and schema ids.
 *
 * @param compatibility the global compatibility level, or {@code null} if the registry gave none
 * @param mode the global mode, or {@code null} if the registry gave none
 * @param subjects every subject, soft-deleted ones included, in name order
 */
public record RegistrySnapshot(String compatibility, String mode, List<Subject> subjects) {

	public RegistrySnapshot {
		subjects = List.copyOf(subjects);
	}

	/** The number of versions in the snapshot, across all subjects. */
	public int versionCount() {
		return this.subjects.stream().mapToInt((subject) -> subject.versions().size()).sum();
	}

	/**
	 * One subject.
	 *
	 * @param deleted whether the whole subject is soft-deleted
	 * @param compatibility the level set on this subject, or {@code null} when it follows the global one
	 * @param mode the mode set on this subject, or {@code null} when it follows the global one
	 * @param versions every readable version, soft-deleted ones included, in ascending order
	 * @param unreadableVersions versions the registry lists but would not return (Apicurio does this for
	 * the versions of a soft-deleted subject), so a restore knows what it cannot rebuild
	 */
	public record Subject(String name, boolean deleted, String compatibility, String mode, List<Version> versions,
			List<Integer> unreadableVersions) {

		public Subject {
			versions = List.copyOf(versions);
			unreadableVersions = List.copyOf(unreadableVersions);
		}

	}

	/**
	 * One version of a subject.
	 *
	 * @param id the global schema id the version points at
	 * @param schema the schema text exactly as the registry returned it
	 * @param deleted whether this version (or its whole subject) is soft-deleted
	 */
	public record Version(int version, int id, String schemaType, String schema, List<SchemaReference> references,
			boolean deleted) {

		public Version {
			references = List.copyOf(references);
		}

	}

}
