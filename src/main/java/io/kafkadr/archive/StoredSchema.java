package io.kafkadr.archive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * A writer schema as the backup stores it: its exact text, its type and the schemas it references,
 * independent of any registry id. Its fingerprint names it in the backup.
 */
public record StoredSchema(String schemaType, String schema, List<Reference> references) {

	/** A reference to another schema, by the name the registry used and by fingerprint. */
	public record Reference(String name, String subject, int version, String fingerprint) {
	}

	public StoredSchema {
		references = (references != null) ? List.copyOf(references) : List.of();
	}

	/**
	 * The first 128 bits of the SHA-256 of the type, the exact text and the references' names and
	 * fingerprints, as 32 hex digits. Equal texts with equal references share a fingerprint, whatever
	 * ids registries gave them.
	 */
	public String fingerprint() {
		MessageDigest digest = Checksums.sha256();
		digest.update(this.schemaType.getBytes(StandardCharsets.UTF_8));
		digest.update((byte) '\n');
		digest.update(this.schema.getBytes(StandardCharsets.UTF_8));
		for (Reference reference : this.references) {
			digest.update((byte) '\n');
			digest.update((reference.name() + "=" + reference.fingerprint()).getBytes(StandardCharsets.UTF_8));
		}
		return HexFormat.of().formatHex(digest.digest(), 0, 16);
	}

}
