package io.kafkadr.registry;

import java.util.List;

/**
 * A schema as looked up by its global id.
 *
 * @param schemaType {@code AVRO}, {@code PROTOBUF} or {@code JSON}; registries omit it for Avro
 * @param schema the schema text exactly as the registry returned it
 */
public record RegisteredSchema(int id, String schemaType, String schema, List<SchemaReference> references) {

	public RegisteredSchema {
		references = List.copyOf(references);
	}

}
