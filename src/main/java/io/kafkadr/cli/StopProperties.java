package io.kafkadr.cli;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kafka-dr.stop-timeout}: how long a command asked to end (SIGTERM) waits for its job to
 * stop at a chunk boundary. The default fits in Kubernetes' default grace period of 30 s; raise
 * both together.
 */
@ConfigurationProperties("kafka-dr")
record StopProperties(@DefaultValue("25s") Duration stopTimeout) {
}
