package io.kafkadr.history;

import java.time.LocalDateTime;

import io.kafkadr.execution.PartitionContext;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import static io.kafkadr.execution.PartitionContext.number;

/**
 * One partition of a partitioned step (a worker step execution) and how far it got, read from its
 * saved execution context. {@code backup} is set for a backup partition, {@code restore} for a
 * restore partition; the other is null. Part of the stable JSON shape of {@code history show --json}.
 */
public record PartitionProgress(String step, String name, String status, long readCount, long writeCount,
		long commitCount, long rollbackCount, LocalDateTime startTime, LocalDateTime endTime, String failure,
		BackupRange backup, RestoreTarget restore) {

	/**
	 * A backup partition: the offset range [start, end) fixed when the backup started, the offset
	 * after the last record committed ({@code position}; null before the first commit), and in an
	 * incremental backup, for a partition that continues its base, the offsets retention deleted
	 * between the base's end and {@code start} ({@code gapOffsets}; null otherwise), and of the records
	 * committed, those with a key or value kept undecoded ({@code undecodedRecords}; null before the
	 * first commit and in backups of releases that did not count them here).
	 */
	public record BackupRange(String topic, int partition, long start, long end, Long position, Long gapOffsets,
			Long undecodedRecords) {
	}

	/**
	 * A restore partition: the backed-up topic, the target topic and partition, and the target
	 * partition's end offset before the restore wrote to it ({@code targetStart}; null in a partition
	 * of the {@code verification} step, which runs before the restore looks at the target).
	 */
	public record RestoreTarget(String source, String target, int partition, Long targetStart) {
	}

	/** Whether a step execution is a partition of a partitioned step ({@code <step>Partition:<name>}). */
	static boolean isPartition(StepExecution step) {
		return PartitionContext.isPartition(step.getStepName());
	}

	static PartitionProgress of(StepExecution partition) {
		String stepName = partition.getStepName();
		ExecutionContext context = partition.getExecutionContext();
		return new PartitionProgress(PartitionContext.partitionedStep(stepName), PartitionContext.partitionName(stepName),
				partition.getStatus().name(), partition.getReadCount(), partition.getWriteCount(),
				partition.getCommitCount(), partition.getRollbackCount(), partition.getStartTime(), partition.getEndTime(),
				FailureMessage.from(partition.getExitStatus().getExitDescription()), backupRange(context),
				restoreTarget(context));
	}

	private static BackupRange backupRange(ExecutionContext context) {
		if (!context.containsKey(PartitionContext.END)) {
			return null;
		}
		return new BackupRange(context.getString(PartitionContext.TOPIC),
				(int) number(context, PartitionContext.PARTITION), number(context, PartitionContext.START),
				number(context, PartitionContext.END),
				context.containsKey(PartitionContext.POSITION) ? number(context, PartitionContext.POSITION) : null,
				context.containsKey(PartitionContext.GAP_OFFSETS) ? number(context, PartitionContext.GAP_OFFSETS) : null,
				context.containsKey(PartitionContext.UNDECODED) ? number(context, PartitionContext.UNDECODED) : null);
	}

	private static RestoreTarget restoreTarget(ExecutionContext context) {
		if (!context.containsKey(PartitionContext.SOURCE)) {
			return null;
		}
		return new RestoreTarget(context.getString(PartitionContext.SOURCE), context.getString(PartitionContext.TARGET),
				(int) number(context, PartitionContext.PARTITION), context.containsKey(PartitionContext.TARGET_START)
						? number(context, PartitionContext.TARGET_START) : null);
	}

}
