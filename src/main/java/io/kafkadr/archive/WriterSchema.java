package io.kafkadr.archive;

import org.apache.avro.Schema;

/** A writer schema found by its registry id: its fingerprint in the backup and the parsed schema. */
public record WriterSchema(String fingerprint, Schema schema) {

	/** Finds the writer schema of a registry id, storing it in the backup the first time. */
	@FunctionalInterface
	public interface Lookup {

		WriterSchema byId(int schemaId);

	}

}
