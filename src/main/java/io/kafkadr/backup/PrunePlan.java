package io.kafkadr.backup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a prune decided for every backup in the storage location, oldest id first; {@code skipped}
 * says why nothing was deleted at all (null otherwise). The stable JSON shape of
 * {@code prune --json}.
 */
public record PrunePlan(String policy, List<Decision> backups, String skipped) {

	/**
	 * One backup: {@code complete} or {@code incomplete}; its {@code type}, {@code full} or
	 * {@code incremental} (null when incomplete or its manifest cannot be read); the {@code base}
	 * it continues (null for a full backup, and for an incomplete one that names none yet); the
	 * time its age is counted from (its completion, or an incomplete backup's last activity);
	 * whether it goes, and why.
	 */
	public record Decision(String backupId, String status, String type, String base, Instant time, boolean delete,
			String reason) {

		/** This backup kept after all, for this reason. */
		Decision kept(String why) {
			return new Decision(this.backupId, this.status, this.type, this.base, this.time, false, why);
		}

	}

	/** The ids of the backups that go. */
	public List<String> deleted() {
		return this.backups.stream().filter(Decision::delete).map(Decision::backupId).toList();
	}

	/**
	 * The backups that go, each after every backup that continues it: a prune interrupted half-way
	 * leaves no incremental backup whose base is gone.
	 */
	List<Decision> deletionOrder() {
		List<Decision> going = this.backups.stream().filter(Decision::delete).toList();
		Map<String, List<Decision>> continuedBy = going.stream()
			.filter(decision -> decision.base() != null)
			.collect(Collectors.groupingBy(Decision::base));
		List<Decision> order = new ArrayList<>();
		Set<String> placed = new HashSet<>();
		for (Decision decision : going) {
			place(decision, continuedBy, placed, order);
		}
		return order;
	}

	private static void place(Decision decision, Map<String, List<Decision>> continuedBy, Set<String> placed,
			List<Decision> order) {
		if (!placed.add(decision.backupId())) {
			return;
		}
		for (Decision dependent : continuedBy.getOrDefault(decision.backupId(), List.of())) {
			place(dependent, continuedBy, placed, order);
		}
		order.add(decision);
	}

	PrunePlan skip(String reason) {
		return new PrunePlan(this.policy,
				this.backups.stream().map(d -> d.delete() ? d.kept(reason) : d).toList(), reason);
	}

}
