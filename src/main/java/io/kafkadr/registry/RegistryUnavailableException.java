package io.kafkadr.registry;

/** The registry could not be reached, timed out or kept failing (5xx, 429) through every attempt. */
public class RegistryUnavailableException extends RegistryException {

	private final int attempts;

	public RegistryUnavailableException(String message, int attempts, int lastStatus, Throwable lastCause) {
		super(message, lastStatus, 0, lastCause);
		this.attempts = attempts;
	}

	/** How many times the request was sent before giving up. */
	public int attempts() {
		return this.attempts;
	}

}
