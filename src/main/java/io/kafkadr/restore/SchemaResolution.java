package io.kafkadr.restore;

import io.kafkadr.archive.SchemaStore;
import io.kafkadr.archive.StoredSchema;
import io.kafkadr.registry.RegisteredSchema;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryException;
import io.kafkadr.registry.RegistryUnavailableException;
import io.kafkadr.registry.SchemaNotFoundException;

/**
 * Whether a writer schema of the backup resolves in the target registry under its id to the same
 * schema: parsed and compared, so that a registry's whitespace or attribute order does not matter,
 * and an id that merely exists, holding another schema (a registry replaced or reset while the
 * restore ran), does not count.
 */
final class SchemaResolution {

	/** Why a schema does not resolve; {@code lost} when the registry has no such schema under its id. */
	record Problem(String description, boolean lost) {
	}

	private SchemaResolution() {
	}

	/**
	 * What keeps the schema with this fingerprint from resolving under this id, or null when it
	 * resolves.
	 * @throws RegistryUnavailableException when the registry does not answer: a problem of the
	 * registry, not of this schema, so that a caller checking many schemas says it once
	 */
	static Problem check(RegistryClient registry, SchemaStore schemas, String fingerprint, Integer id) {
		if (id == null) {
			return new Problem("not registered by this restore", true);
		}
		RegisteredSchema found;
		try {
			found = registry.schemaById(id);
		}
		catch (SchemaNotFoundException ex) {
			return new Problem("id " + id + ": " + ex.getMessage(), true);
		}
		catch (RegistryUnavailableException ex) {
			throw ex;
		}
		catch (RegistryException ex) {
			return new Problem("id " + id + ": " + ex.getMessage(), false);
		}
		StoredSchema expected = schemas.get(fingerprint);
		if (!expected.schemaType().equals(found.schemaType())) {
			return new Problem("id " + id + " is a " + found.schemaType() + " schema, the backup's is "
					+ expected.schemaType(), true);
		}
		if (!schemas.isSchema(fingerprint, found.schemaType(), found.schema())) {
			return new Problem("id " + id + " resolves to a different schema", true);
		}
		return null;
	}

}
