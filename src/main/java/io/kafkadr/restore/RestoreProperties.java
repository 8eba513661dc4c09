package io.kafkadr.restore;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Restore tuning ({@code kafka-dr.restore.*}): {@code chunkSize} records are produced and committed
 * together; {@code parallelism} partitions are written at once; {@code registryTimeout} bounds
 * how long {@code waitForRegistry} waits for every schema to resolve.
 */
@ConfigurationProperties("kafka-dr.restore")
public record RestoreProperties(@DefaultValue("2000") int chunkSize, @DefaultValue("4") int parallelism,
		@DefaultValue("2m") Duration registryTimeout) {
}
