package io.kafkadr.registry;

import java.util.List;

/**
 * One version of a subject: which schema (by global id) the subject had at that version.
 *
 * @param schemaType {@code AVRO}, {@code PROTOBUF} or {@code JSON}; registries omit it for Avro
 * @param schema the schema text exactly as the registry returned it
 */
public record SubjectVersion(String subject, int version, int id, String schemaType, String schema,
		List<SchemaReference> references) {

	public SubjectVersion {
		references = List.copyOf(references);
	}

}
