package io.kafkadr.archive;

/** A segment line that is not a record of the backup format. */
public class MalformedLineException extends RuntimeException {

	public MalformedLineException(String message) {
		super(message);
	}

}
