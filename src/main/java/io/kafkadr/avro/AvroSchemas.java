package io.kafkadr.avro;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/** Parses writer schemas as a schema registry stores them, including schemas that reference others. */
public final class AvroSchemas {

	private AvroSchemas() {
	}

	/**
	 * Parses a schema after the schemas it references, named types of which it may use by name.
	 * Defaults are not validated: a registry may hold schemas that Avro's strict parser rejects, and
	 * they still describe the data exactly.
	 * @param referenced the texts of the referenced schemas, every one after those it references
	 */
	public static Schema parse(String text, List<String> referenced) {
		Schema.Parser parser = new Schema.Parser().setValidateDefaults(false);
		try {
			for (String reference : referenced) {
				parser.parse(reference);
			}
			return parser.parse(text);
		}
		catch (SchemaParseException ex) {
			throw new AvroJsonException("not a valid Avro schema: " + ex.getMessage(), ex);
		}
	}

}
