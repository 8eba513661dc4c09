package io.kafkadr.backup;

import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code prune} step, after {@code seal}: deletes the backups that
 * {@code kafka-dr.backup.prune.*} does not keep, never the one just sealed, and nothing when no
 * rule is set. Its write count is the number of backups deleted. Running it again (a restarted
 * job) deletes only what is still there.
 */
public class PruneTasklet implements Tasklet {

	private final BackupPruner pruner;

	private final RetentionPolicy policy;

	private final String backupId;

	public PruneTasklet(BackupPruner pruner, RetentionPolicy policy, String backupId) {
		this.pruner = pruner;
		this.policy = policy;
		this.backupId = backupId;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		if (!this.policy.isEmpty()) {
			contribution.incrementWriteCount(this.pruner.pruneAfterSeal(this.policy, this.backupId).deleted().size());
		}
		return RepeatStatus.FINISHED;
	}

}
