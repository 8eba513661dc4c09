package io.kafkadr.backup;

import java.time.Duration;

/**
 * Which backups to keep: the newest {@code keep} complete backups (restore points, full or
 * incremental alike) and/or those younger than {@code olderThan}. A backup is deleted only when no
 * given rule keeps it; the newest complete backup is kept whatever the rules. A null rule is not
 * given; with neither, nothing is deleted. {@link BackupPruner} also keeps what a kept backup continues.
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

	/**
	 * Why a complete backup is kept, or null when no rule keeps it: {@code rank} counts the complete
	 * backups newer than it (0 for the newest), {@code age} is the time since it completed.
	 */
	public String keptBecause(int rank, Duration age) {
		if (rank == 0) {
			return "the newest complete backup, always kept";
		}
		if (this.keep != null && rank < this.keep) {
			return "one of the newest " + this.keep + " complete backups";
		}
		if (this.olderThan != null && age.compareTo(this.olderThan) < 0) {
			return "younger than " + words(this.olderThan);
		}
		return isEmpty() ? "no retention rule given" : null;
	}

	/** Why a complete backup that no rule keeps is deleted. */
	public String deletedBecause() {
		String count = (this.keep != null) ? "not among the newest " + this.keep : null;
		String age = (this.olderThan != null) ? "older than " + words(this.olderThan) : null;
		return (count != null && age != null) ? count + " and " + age : (count != null) ? count : age;
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
