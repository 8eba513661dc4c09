package io.kafkadr.archive;

import io.kafkadr.avro.JsonToAvroBinary;

/**
 * Turns an archived Avro payload back into the datum bytes it was read from: the kept original
 * bytes where the backup has them, otherwise the JSON re-encoded with its writer schema from the
 * backup. One instance per thread.
 */
public final class DatumEncoder {

	private final SchemaStore schemas;

	private final JsonToAvroBinary json = new JsonToAvroBinary();

	public DatumEncoder(SchemaStore schemas) {
		this.schemas = schemas;
	}

	public byte[] datum(Payload.Avro payload) {
		if (payload.raw() != null) {
			return payload.raw();
		}
		return encodeJson(payload);
	}

	/** The JSON re-encoded with its writer schema, ignoring any kept original bytes. */
	public byte[] encodeJson(Payload.Avro payload) {
		return this.json.encode(this.schemas.avroSchema(payload.fingerprint()), payload.datum());
	}

}
