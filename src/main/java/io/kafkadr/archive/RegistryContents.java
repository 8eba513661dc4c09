package io.kafkadr.archive;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The schema registry as backed up ({@code registry.json}): subjects, versions with the schema id the
 * source registry gave them, compatibility levels and modes. Schema texts are not here but in the
 * schema store, by fingerprint. {@code url} is null when the backup had no registry.
 */
public record RegistryContents(String url, Instant exportedAt, String compatibility, String mode,
		List<Subject> subjects) {

	/** A registry-less backup. */
	public static RegistryContents none() {
		return new RegistryContents(null, Instant.now(), null, null, List.of());
	}

	/** A subject; {@code compatibility} and {@code mode} are null when it follows the global ones. */
	public record Subject(String name, boolean deleted, String compatibility, String mode, List<Version> versions,
			List<Integer> unreadableVersions) {
	}

	/**
	 * A version: the schema id in the source registry (its Confluent-API id) and the schema's
	 * fingerprint in this backup; from an Apicurio registry also its global and content ids (null
	 * otherwise, and in backups older than format 2).
	 */
	public record Version(int version, int id, String schemaType, String fingerprint, List<Reference> references,
			boolean deleted, @JsonInclude(JsonInclude.Include.NON_NULL) Long globalId,
			@JsonInclude(JsonInclude.Include.NON_NULL) Long contentId) {
	}

	/** A reference from a schema to a subject version, by the name the schema uses. */
	public record Reference(String name, String subject, int version) {
	}

}
