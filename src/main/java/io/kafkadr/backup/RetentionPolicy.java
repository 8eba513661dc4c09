package io.kafkadr.backup;

import java.time.Duration;

/**
 * Which backups to keep: the newest {@code keep} complete backups and/or those younger than
 * {@code olderThan}. A backup is deleted only when no given rule keeps it; the newest complete
 * backup is kept whatever the rules. A null rule is not given; with neither, nothing is deleted.
 */
public record RetentionPolicy(Integer keep, Duration olderThan) {

	public RetentionPolicy {
		if (keep != null && keep < 1) {
			throw new IllegalArgumentException("keep must be at least 1 (the newest complete backup is always kept), not "
					+ keep);
		}
		if (olderThan != null && olderThan.isNegative()) {
			throw new IllegalArgumentException("older-than must not be negative, not " + olderThan);
		}
	}

	/** Whether no rule is given (then nothing is pruned). */
	public boolean isEmpty() {
		return this.keep == null && this.olderThan == null;
	}

	/** The rules in words. */
	public String describe() {
		if (isEmpty()) {
			return "keep everything";
		}
		String count = (this.keep != null) ? "keep the newest " + this.keep + " complete backups" : null;
		String age = (this.olderThan != null) ? "delete what is older than " + words(this.olderThan) : null;
		return (count != null && age != null) ? count + "; of the others, " + age : (count != null) ? count : age;
	}

	/** A duration as the options spell it: {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}. */
	static String words(Duration duration) {
		long seconds = duration.toSeconds();
		if (duration.toNanos() % 1_000_000_000L != 0) {
			return duration.toMillis() + "ms";
		}
		if (seconds != 0 && seconds % 86_400 == 0) {
			return (seconds / 86_400) + "d";
		}
		if (seconds != 0 && seconds % 3_600 == 0) {
			return (seconds / 3_600) + "h";
		}
		return (seconds != 0 && seconds % 60 == 0) ? (seconds / 60) + "m" : seconds + "s";
	}

}
