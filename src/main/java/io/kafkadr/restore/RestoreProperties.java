package io.kafkadr.restore;

import java.time.Duration;

import io.kafkadr.partitioning.Parallelism;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Restore tuning ({@code kafka-dr.restore.*}): a partition commits after producing {@code chunkSize}
 * records or {@code chunkBytes} of keys, values and headers, whichever comes first (so its heap is
 * bounded by bytes whatever the record size), and validation reads partitions back in blocks of the
 * same limits; {@code parallelism} partitions are verified, written and validated at once
 * (by default as many as the backup would read at once: see
 * {@link Parallelism#fromMachine});
 * {@code registryTimeout} bounds how long {@code waitForRegistry} waits for every schema to resolve.
 */
@ConfigurationProperties("kafka-dr.restore")
public record RestoreProperties(@DefaultValue("50000") int chunkSize, @DefaultValue("4MB") DataSize chunkBytes,
		Integer parallelism, @DefaultValue("2m") Duration registryTimeout) {

	public RestoreProperties {
		if (chunkSize < 1 || chunkBytes.toBytes() < 1) {
			throw new IllegalArgumentException("kafka-dr.restore.chunk-size and kafka-dr.restore.chunk-bytes must be"
					+ " positive; got " + chunkSize + " and " + chunkBytes);
		}
		if (parallelism == null) {
			// A partition in flight holds its block, the producer's batches of it and the decoded lines: the
			// backup's budget per partition.
			parallelism = Parallelism.fromMachine(chunkBytes);
		}
		else if (parallelism < 1) {
			throw new IllegalArgumentException("kafka-dr.restore.parallelism must be positive, or left unset to follow"
					+ " the processors and heap; got " + parallelism);
		}
	}

}
