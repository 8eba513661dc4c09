package io.kafkadr.avro;

/** An Avro datum that cannot be decoded with its schema, or JSON that does not fit its schema. */
public class AvroJsonException extends RuntimeException {

	public AvroJsonException(String message) {
		super(message);
	}

	public AvroJsonException(String message, Throwable cause) {
		super(message, cause);
	}

}
