package io.kafkadr.backup;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order a prune deletes in: every backup after the backups that continue it, so that a prune
 * cut short leaves no incremental backup whose base is gone; and a skipped prune keeps what it
 * would have deleted, chains included.
 */
class PrunePlanTest {

	private static final PrunePlan PLAN = new PrunePlan("keep the newest 1 complete backups",
			List.of(going("a-full", "full", null), going("b-incremental", "incremental", "a-full"),
					going("c-incremental", "incremental", "b-incremental"), going("d-other-full", "full", null),
					new PrunePlan.Decision("e-newest", "complete", "incremental", "d-other-full", Instant.EPOCH, false,
							"the newest complete backup, always kept"),
					new PrunePlan.Decision("f-failed", "incomplete", null, "c-incremental", Instant.EPOCH, true,
							"incomplete, nothing written for longer than 1d, and no backup resumes it by itself")),
			null);

	@Test
	void deletesEveryBackupAfterTheBackupsThatContinueIt() {
		assertThat(PLAN.deletionOrder()).extracting(PrunePlan.Decision::backupId)
			.containsExactly("f-failed", "c-incremental", "b-incremental", "a-full", "d-other-full");
		assertThat(PLAN.deleted()).as("the plan itself lists the backups by id")
			.containsExactly("a-full", "b-incremental", "c-incremental", "d-other-full", "f-failed");
	}

	@Test
	void aSkippedPruneKeepsWhatItWouldHaveDeletedWithItsTypeAndBase() {
		PrunePlan skipped = PLAN.skip("kept for now: a restore holds the storage location");
		assertThat(skipped.deleted()).isEmpty();
		assertThat(skipped.deletionOrder()).isEmpty();
		assertThat(skipped.backups()).extracting(PrunePlan.Decision::base)
			.containsExactly(null, "a-full", "b-incremental", null, "d-other-full", "c-incremental");
		assertThat(skipped.backups().get(1).reason()).isEqualTo("kept for now: a restore holds the storage location");
		assertThat(skipped.backups().get(4).reason()).isEqualTo("the newest complete backup, always kept");
	}

	private static PrunePlan.Decision going(String id, String type, String base) {
		return new PrunePlan.Decision(id, "complete", type, base, Instant.EPOCH, true, "not among the newest 1");
	}

}
