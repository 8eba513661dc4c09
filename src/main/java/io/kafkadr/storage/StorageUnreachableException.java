package io.kafkadr.storage;

/** A storage location whose server did not answer: an outage to retry later, not a mistake to fix. */
public class StorageUnreachableException extends StorageException {

	public StorageUnreachableException(String message, Throwable cause) {
		super(message, cause);
	}

}
