package io.kafkadr.restore;

import java.util.List;
import java.util.Optional;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupVerifier;
import io.kafkadr.archive.Manifest;
import io.kafkadr.execution.PartitionContext;
import io.kafkadr.kafka.TopicConfigs;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import static io.kafkadr.execution.PartitionContext.count;

/**
 * One partition of the {@code verification} step, which runs before the restore writes anything:
 * checks the partition's segments in the backup against their size and SHA-256 and reads every
 * line in outline, one segment per iteration, and counts what the restore will write. The count so
 * far is saved with every segment, so a stop or a kill resumes at the next segment. A damaged
 * segment fails the partition with the file, the line and what is wrong; with {@code --skip-damaged}
 * it is recorded in the partition's context instead ({@link PartitionContext#DAMAGED}), and the
 * restore leaves the partition out.
 */
class PartitionVerificationTasklet implements Tasklet {

	private final BackupVerifier verifier = new BackupVerifier();

	private final BackupDirectory backup;

	private final RestorePlan plan;

	private final RestorePlan.TopicRestore topic;

	private final Manifest.Partition partition;

	PartitionVerificationTasklet(BackupDirectory backup, RestorePlan plan, String source, int partition) {
		this.backup = backup;
		this.plan = plan;
		this.topic = plan.topic(source);
		this.partition = this.topic.partition(partition);
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		StepExecution step = chunkContext.getStepContext().getStepExecution();
		ExecutionContext context = step.getExecutionContext();
		List<Manifest.Segment> segments = this.partition.segments();
		int next = (int) count(context, PartitionContext.VERIFIED_SEGMENTS);
		if (next >= segments.size()) {
			return RepeatStatus.FINISHED;
		}
		long retention = TopicConfigs.retentionMs(this.topic.configs());
		long cutoff = (retention < 0) ? Long.MIN_VALUE : System.currentTimeMillis() - retention;
		long[] counts = { count(context, PartitionContext.VERIFIED_RECORDS),
				count(context, PartitionContext.VERIFIED_OLDER), count(context, PartitionContext.VERIFIED_APICURIO_IDS) };
		Optional<BackupVerifier.Problem> problem = this.verifier.checkSegment(this.backup, this.topic.source(),
				this.partition, segments.get(next), (topic, record) -> {
					if (this.plan.restores(record.timestamp())) {
						counts[0]++;
						counts[1] += (record.timestamp() < cutoff) ? 1 : 0;
						counts[2] += record.apicurioId() ? 1 : 0;
					}
				});
		if (problem.isPresent() && this.plan.options().skipDamaged()) {
			// Recorded, not thrown: the restore leaves this partition out and writes every intact one.
			context.putString(PartitionContext.DAMAGED, problem.get().toString());
			context.putLong(PartitionContext.VERIFIED_SEGMENTS, segments.size());
			return RepeatStatus.FINISHED;
		}
		if (problem.isPresent()) {
			throw new BackupDamagedException(problem.get().toString());
		}
		context.putLong(PartitionContext.VERIFIED_SEGMENTS, next + 1);
		context.putLong(PartitionContext.VERIFIED_RECORDS, counts[0]);
		context.putLong(PartitionContext.VERIFIED_OLDER, counts[1]);
		context.putLong(PartitionContext.VERIFIED_APICURIO_IDS, counts[2]);
		step.setReadCount(step.getReadCount() + segments.get(next).records());
		return (next + 1 < segments.size()) ? RepeatStatus.CONTINUABLE : RepeatStatus.FINISHED;
	}

	/** A segment that does not match the manifest or cannot be read; the message names file, line and problem. */
	static class BackupDamagedException extends RuntimeException {

		BackupDamagedException(String problem) {
			super(problem);
		}

	}

}
