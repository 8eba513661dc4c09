package io.kafkadr.archive;

import io.kafkadr.avro.WireFormat;
import org.apache.avro.Schema;

/** A writer schema found by its registry id: its fingerprint in the backup and the parsed schema. */
public record WriterSchema(String fingerprint, Schema schema) {

	/** Finds the writer schema of a registry id, storing it in the backup the first time. */
	@FunctionalInterface
	public interface Lookup {

		WriterSchema byId(WireFormat.IdKind kind, long schemaId);

	}

}
