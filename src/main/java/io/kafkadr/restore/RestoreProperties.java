package io.kafkadr.restore;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Restore tuning ({@code kafka-dr.restore.*}): a partition commits after producing {@code chunkSize}
 * records or {@code chunkBytes} of keys, values and headers, whichever comes first (so its heap is
 * bounded by bytes whatever the record size); {@code parallelism} partitions are written at once;
 * {@code registryTimeout} bounds how long {@code waitForRegistry} waits for every schema to resolve.
 */
@ConfigurationProperties("kafka-dr.restore")
public record RestoreProperties(@DefaultValue("50000") int chunkSize, @DefaultValue("4MB") DataSize chunkBytes,
		@DefaultValue("4") int parallelism, @DefaultValue("2m") Duration registryTimeout) {

	public RestoreProperties {
		if (chunkSize < 1 || chunkBytes.toBytes() < 1) {
			throw new IllegalArgumentException("kafka-dr.restore.chunk-size and kafka-dr.restore.chunk-bytes must be"
					+ " positive; got " + chunkSize + " and " + chunkBytes);
		}
	}

}
