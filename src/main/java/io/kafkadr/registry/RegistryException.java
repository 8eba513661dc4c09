package io.kafkadr.registry;

/** The schema registry answered a request with an error, or could not be used at all. */
public class RegistryException extends RuntimeException {

	private final int status;

	private final int errorCode;

	public RegistryException(String message) {
		this(message, 0, 0, null);
	}

	public RegistryException(String message, int status, int errorCode) {
		this(message, status, errorCode, null);
	}

	protected RegistryException(String message, int status, int errorCode, Throwable cause) {
		super(message, cause);
		this.status = status;
		this.errorCode = errorCode;
	}

	/** The HTTP status the registry answered with, or 0 when there was no answer. */
	public int status() {
		return this.status;
	}

	/** The registry's {@code error_code} (for example 40401, subject not found), or 0 when it gave none. */
	public int errorCode() {
		return this.errorCode;
	}

}
