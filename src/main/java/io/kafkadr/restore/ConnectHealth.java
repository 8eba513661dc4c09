package io.kafkadr.restore;

/** Kafka Connect's health after a restore, when {@code kafka-dr.connect.url} is set. */
@FunctionalInterface
public interface ConnectHealth {

	/** No Connect check configured. */
	ConnectHealth NOT_CONFIGURED = () -> new ValidationReport.ConnectCheck(false, true, null);

	ValidationReport.ConnectCheck check();

}
