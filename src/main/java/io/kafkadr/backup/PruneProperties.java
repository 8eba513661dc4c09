package io.kafkadr.backup;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The backup job's optional last step, {@code prune} ({@code kafka-dr.backup.prune.keep},
 * {@code kafka-dr.backup.prune.older-than}): the same rules as the {@code prune} command, applied
 * after each backup is sealed. With neither set the step deletes nothing.
 */
@ConfigurationProperties("kafka-dr.backup.prune")
public record PruneProperties(Integer keep, Duration olderThan) {

	public PruneProperties {
		// at startup, not after a whole backup has run
		new RetentionPolicy(keep, olderThan);
	}

	public RetentionPolicy policy() {
		return new RetentionPolicy(this.keep, this.olderThan);
	}

}
