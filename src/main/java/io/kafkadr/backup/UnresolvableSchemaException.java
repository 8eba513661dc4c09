package io.kafkadr.backup;

/** A record's writer schema cannot be found or used; the message names the id and the fix. */
public class UnresolvableSchemaException extends RuntimeException {

	public UnresolvableSchemaException(String message) {
		super(message);
	}

	public UnresolvableSchemaException(String message, Throwable cause) {
		super(message, cause);
	}

}
