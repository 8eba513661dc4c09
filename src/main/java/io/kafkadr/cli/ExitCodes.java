package io.kafkadr.cli;

/** The exit codes of every command. */
public final class ExitCodes {

	/** The command did what was asked. */
	public static final int OK = 0;

	/**
	 * A job or a check failed (a backup failed, a verification found damage), or a job was stopped
	 * (SIGTERM) before it completed.
	 */
	public static final int FAILED = 1;

	/** Bad usage or configuration: the command refused to start and changed nothing. */
	public static final int USAGE = 2;

	/**
	 * A Kafka cluster, Schema Registry, Kafka Connect, job repository or S3 server that did not
	 * answer: an outage, so the same command may succeed later; nothing was changed.
	 */
	public static final int UNREACHABLE = 3;

	private ExitCodes() {
	}

}
