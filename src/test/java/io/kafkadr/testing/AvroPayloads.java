package io.kafkadr.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import io.kafkadr.avro.ConfluentWireFormat;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** Serializes data as a Confluent Avro serializer would: wire-format header, then Avro binary. */
public final class AvroPayloads {

	private AvroPayloads() {
	}

	public static byte[] encode(int schemaId, Schema schema, Object datum) {
		return ConfluentWireFormat.encode(schemaId, datum(schema, datum));
	}

	public static byte[] datum(Schema schema, Object datum) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
		try {
			new GenericDatumWriter<>(schema).write(datum, encoder);
			encoder.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

}
