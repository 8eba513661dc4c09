package io.kafkadr.restore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.kafkadr.archive.ArchiveJson;

/**
 * What to restore and how, as the user asked for it. Everything here identifies the restore's job
 * instance (with the backup id and the target cluster, through {@link #digest()}), so that
 * re-running the same command continues the same restore and a different selection never mixes
 * with it. An option added in a later release must leave the JSON unchanged while it has its
 * default ({@code NON_DEFAULT}), or every restore in flight would be orphaned by the upgrade.
 *
 * @param topics a regular expression over backed-up topic names, or null for all
 * @param renames backed-up topic name to target topic name
 * @param until only records with a timestamp at or before it, or null for all
 * @param intoExistingTopics write into target topics that already hold records
 * @param retention what to do about records older than their topic's retention
 * @param registryMode how schemas reach the target registry
 * @param allowNewSchemaIds accept a target registry that gives the schemas other ids than the source's
 * @param skipDamaged restore every partition whose segments are intact, and leave out the damaged ones
 */
public record RestoreOptions(String topics, Map<String, String> renames, Instant until, boolean intoExistingTopics,
		Retention retention, RegistryMode registryMode,
		@JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean allowNewSchemaIds,
		@JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean skipDamaged) {

	/** Records older than a topic's {@code retention.ms} are deleted by the broker soon after they are written. */
	public enum Retention {

		/** Create topics with the backed-up retention; old records are deleted after the restore (the plan warns). */
		keep,

		/** Create topics without time retention and apply the backed-up retention once the restore is validated. */
		suspend

	}

	/** How the schemas reach the target registry. */
	public enum RegistryMode {

		/** Register every subject version through the registry's API under its original id. */
		api,

		/**
		 * Write the backed-up {@code _schemas} topic for a Confluent registry that reads its state from it;
		 * ids stay the same.
		 */
		topic

	}

	public RestoreOptions {
		renames = (renames != null) ? new TreeMap<>(renames) : new TreeMap<>();
		retention = (retention != null) ? retention : Retention.keep;
		registryMode = (registryMode != null) ? registryMode : RegistryMode.api;
		// Absent from the parameters of restores started before the option existed, which must resume unchanged.
		allowNewSchemaIds = Boolean.TRUE.equals(allowNewSchemaIds);
		skipDamaged = Boolean.TRUE.equals(skipDamaged);
	}

	/** The options of a restore that refuses a damaged backup, as every restore before {@code --skip-damaged} did. */
	public RestoreOptions(String topics, Map<String, String> renames, Instant until, boolean intoExistingTopics,
			Retention retention, RegistryMode registryMode, Boolean allowNewSchemaIds) {
		this(topics, renames, until, intoExistingTopics, retention, registryMode, allowNewSchemaIds, false);
	}

	/** The target name of a backed-up topic. */
	public String targetTopic(String source) {
		return this.renames.getOrDefault(source, source);
	}

	public String toJson() {
		return ArchiveJson.MAPPER.writeValueAsString(this);
	}

	/**
	 * The SHA-256 of {@link #toJson()}, in hex: the same options give the same digest in every
	 * release, because an option added later is left out of the JSON while it has its default.
	 */
	public String digest() {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(toJson().getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

	public static RestoreOptions fromJson(String json) {
		return ArchiveJson.MAPPER.readValue(json, RestoreOptions.class);
	}

}
