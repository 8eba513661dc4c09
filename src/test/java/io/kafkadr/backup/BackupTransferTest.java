package io.kafkadr.backup;

import io.kafkadr.archive.EncodedBlock;
import io.kafkadr.execution.PartitionContext;
import io.kafkadr.progress.TransferBoard;
import io.kafkadr.progress.TransferMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

import static org.assertj.core.api.Assertions.assertThat;

/** A backup partition counts the records it keeps undecoded, for {@code history show} and the metric. */
class BackupTransferTest {

	@Test
	void recordsKeptUndecodedAreCountedInTheContextAndTheMetric() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		BackupTransfer transfer = new BackupTransfer(new TransferBoard(), new TransferMeters(registry), "cdc.users", 0, 0,
				100);
		JobExecution job = new JobExecution(1, new JobInstance(1, "backupJob"), new JobParameters());
		StepExecution step = new StepExecution(2, "cdcTopicsPartition:cdc.users-0", job);
		transfer.beforeStep(step);
		transfer.beforeChunk(new Chunk<>());
		transfer.afterChunk(new Chunk<>(block(0, 9, 10, 2), block(10, 19, 10, 0)));
		transfer.beforeChunk(new Chunk<>());
		transfer.afterChunk(new Chunk<>(block(20, 29, 10, 1)));
		assertThat(PartitionContext.count(step.getExecutionContext(), PartitionContext.UNDECODED)).isEqualTo(3);
		assertThat(registry.get("kafka.dr.undecoded.records").tag("topic", "cdc.users").counter().count()).isEqualTo(3);
	}

	private static EncodedBlock block(long first, long last, int records, int undecoded) {
		return new EncodedBlock(first, last, records, new byte[0], 0, new byte[0], undecoded);
	}

}
