package io.kafkadr.partitioning;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where backup and restore run their partitions: {@code kafka-dr.partitioning=local} (the default)
 * on the command's own threads, {@code remote} on {@code kafka-dr worker} processes that share the
 * plan and the PostgreSQL job repository. {@code kafka-dr.worker.threads} partitions run at once in
 * a worker (default: the larger of the backup's and the restore's parallelism);
 * {@code kafka-dr.worker.idle-timeout} is how long {@code worker --until-done} waits, with nothing
 * to run and no backup or restore running, before it ends.
 */
@ConfigurationProperties("kafka-dr")
public record PartitioningProperties(@DefaultValue("local") Mode partitioning, @DefaultValue Worker worker) {

	/** Where partitions run. */
	public enum Mode {

		local, remote

	}

	/** A worker's settings. */
	public record Worker(Integer threads, @DefaultValue("2m") Duration idleTimeout) {

		public Worker {
			if (threads != null && threads < 1) {
				throw new IllegalArgumentException(
						"kafka-dr.worker.threads must be positive, or left unset to follow the processors and heap; got "
								+ threads);
			}
			if (idleTimeout.isNegative()) {
				throw new IllegalArgumentException("kafka-dr.worker.idle-timeout must not be negative; got " + idleTimeout);
			}
		}

	}

	public boolean remote() {
		return this.partitioning == Mode.remote;
	}

}
