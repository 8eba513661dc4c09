package io.kafkadr.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * Makes a gap in an incremental backup impossible to miss: records the broker deleted between the
 * base's end and this backup's start (retention ran before the backup did) are named per partition
 * in a warning, which the backup's summary prints and its job's exit status description keeps, so
 * {@code history} shows it too. The backup itself completes: what is left is still backed up.
 */
public class ChainGaps implements JobExecutionListener {

	private final BackupStorage storage;

	public ChainGaps(BackupStorage storage) {
		this.storage = storage;
	}

	/** The warning for a backup's gaps, if it has any. */
	public static Optional<String> warning(Manifest manifest) {
		List<String> partitions = new ArrayList<>();
		long total = 0;
		for (Manifest.Topic topic : manifest.topics()) {
			for (Manifest.Partition partition : topic.partitions()) {
				if (partition.gap() > 0) {
					partitions.add(topic.name() + "-" + partition.partition() + " offsets " + partition.base().endOffset()
							+ "-" + (partition.startOffset() - 1));
					total += partition.gap();
				}
			}
		}
		if (total == 0) {
			return Optional.empty();
		}
		return Optional.of("warning: a gap in the chain: the broker deleted " + total + " offsets after "
				+ manifest.base().backupId() + " and before this backup could read them (" + String.join(", ", partitions)
				+ "); those records are in no backup. Back up more often than the topics' retention.ms, or lengthen it.");
	}

	@Override
	public void afterJob(JobExecution execution) {
		if (execution.getStatus() != BatchStatus.COMPLETED) {
			return;
		}
		String backupId = execution.getJobParameters().getString(BackupJobConfiguration.BACKUP_ID);
		warning(this.storage.backup(backupId).manifest())
			.ifPresent(warning -> execution.setExitStatus(execution.getExitStatus().addExitDescription(warning)));
	}

}
