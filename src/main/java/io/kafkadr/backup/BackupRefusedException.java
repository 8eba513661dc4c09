package io.kafkadr.backup;

/**
 * A backup that must not start (configuration, unreachable cluster or registry, storage, backup id);
 * nothing has been written. The message says what is wrong and how to fix it.
 */
public class BackupRefusedException extends RuntimeException {

	public BackupRefusedException(String message) {
		super(message);
	}

	public BackupRefusedException(String message, Throwable cause) {
		super(message, cause);
	}

}
