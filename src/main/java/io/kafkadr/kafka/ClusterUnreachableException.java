package io.kafkadr.kafka;

/**
 * The Kafka cluster did not answer in time: an outage, not a mistake in the settings (those are
 * reported as refusals), so the same command may succeed later.
 */
public class ClusterUnreachableException extends RuntimeException {

	public ClusterUnreachableException(String message, Throwable cause) {
		super(message, cause);
	}

}
