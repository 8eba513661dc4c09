package io.kafkadr.backup;

import java.time.Instant;
import java.util.List;

/**
 * What a prune decided for every backup in the storage location, oldest id first; {@code skipped}
 * says why nothing was deleted at all (null otherwise). The stable JSON shape of
 * {@code prune --json}.
 */
public record PrunePlan(String policy, List<Decision> backups, String skipped) {

	/**
	 * One backup: {@code complete} or {@code incomplete}, the time its age is counted from (its
	 * completion, or an incomplete backup's last activity), whether it goes, and why.
	 */
	public record Decision(String backupId, String status, Instant time, boolean delete, String reason) {
	}

	/** The ids of the backups that go. */
	public List<String> deleted() {
		return this.backups.stream().filter(Decision::delete).map(Decision::backupId).toList();
	}

	PrunePlan skip(String reason) {
		return new PrunePlan(this.policy, this.backups.stream()
			.map(d -> new Decision(d.backupId(), d.status(), d.time(), false, d.delete() ? reason : d.reason()))
			.toList(), reason);
	}

}
