package io.kafkadr.kafka;

import io.kafkadr.tls.HttpsTrust;

/**
 * Kafka Connect's REST API could not be used: no answer, an HTTP error, or an answer that is not
 * Connect's. The message names the URL and the setting to check, never a password.
 */
public class ConnectUnavailableException extends RuntimeException {

	private final int status;

	public ConnectUnavailableException(String message, int status, Throwable cause) {
		super(message, cause);
		this.status = status;
	}

	/** The HTTP status Connect answered with, or 0 when there was no (usable) HTTP answer. */
	public int status() {
		return this.status;
	}

	/** Whether waiting cannot help: the credentials are missing or wrong. */
	public boolean credentialsRefused() {
		return this.status == 401 || this.status == 403;
	}

	/** Whether asking again cannot help: refused credentials, or a server certificate that is not trusted. */
	public boolean waitingCannotHelp() {
		return credentialsRefused() || HttpsTrust.isHandshakeFailure(getCause());
	}

}
