package io.kafkadr.restore;

/**
 * A restore that must not start (configuration, unreachable cluster or registry, target topics in
 * the way, a damaged or incomplete backup); nothing has been written. The message says why and
 * what to do.
 */
public class RestoreRefusedException extends RuntimeException {

	private final boolean damagedBackup;

	public RestoreRefusedException(String message) {
		this(message, false);
	}

	public RestoreRefusedException(String message, boolean damagedBackup) {
		super(message);
		this.damagedBackup = damagedBackup;
	}

	/** Whether the refusal is a failed verification of the backup, not a usage problem. */
	public boolean damagedBackup() {
		return this.damagedBackup;
	}

}
