package io.kafkadr.cli;

/** A command used wrongly; the message says how to use it. */
class UsageException extends RuntimeException {

	UsageException(String message) {
		super(message);
	}

}
