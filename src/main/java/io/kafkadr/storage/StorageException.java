package io.kafkadr.storage;

/** A storage location or backup that cannot be used as asked; the message says why and what to do. */
public class StorageException extends RuntimeException {

	public StorageException(String message) {
		super(message);
	}

	public StorageException(String message, Throwable cause) {
		super(message, cause);
	}

}
