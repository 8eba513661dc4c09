package io.kafkadr.history;

import io.kafkadr.execution.FailedStepExitStatus;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.step.StepExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A partitioned step fails with Spring Batch's "Partition handler returned an unsuccessful step";
 * the job and {@code history} say which partition failed and why instead.
 */
class RootCauseTest {

	private static final String PARTITION_HANDLER = """
			org.springframework.batch.core.job.JobExecutionException: Partition handler returned an unsuccessful step
				at org.springframework.batch.core.partition.PartitionStep.doExecute(PartitionStep.java:112)""";

	private static final String RANGE_DELETED = """
			io.kafkadr.kafka.RangeDeletedException: The records of orders-1 from offset 40 were deleted by retention
				at io.kafkadr.kafka.KafkaPartitionReader.read(KafkaPartitionReader.java:120)""";

	@Test
	void theFailedPartitionIsTheCauseOfItsStepAndOfTheJob() {
		JobExecution job = new JobExecution(7, new JobInstance(3, "backupJob"),
				new JobParametersBuilder().addString("backup.id", "nightly").toJobParameters());
		step(job, 10, "topics", BatchStatus.COMPLETED, "");
		step(job, 11, "internalTopics", BatchStatus.FAILED, PARTITION_HANDLER);
		step(job, 12, "internalTopicsPartition:orders-0", BatchStatus.COMPLETED, "");
		step(job, 13, "internalTopicsPartition:orders-1", BatchStatus.FAILED, RANGE_DELETED);
		job.setStatus(BatchStatus.FAILED);
		job.setExitStatus(ExitStatus.FAILED);

		new FailedStepExitStatus().afterJob(job);

		String cause = "Partition orders-1 failed: The records of orders-1 from offset 40 were deleted by retention";
		ExecutionSummary summary = ExecutionSummary.of(job);
		assertThat(summary.failure()).isEqualTo(cause);
		ExecutionSummary.Step step = summary.steps().stream().filter(s -> s.name().equals("internalTopics")).findFirst()
			.orElseThrow();
		assertThat(step.failure()).isEqualTo(cause);
		assertThat(step.partitionsFailed()).containsExactly("orders-1");
	}

	@Test
	void aStepThatIsNotPartitionedKeepsItsOwnDescription() {
		JobExecution job = new JobExecution(8, new JobInstance(4, "backupJob"),
				new JobParametersBuilder().addString("backup.id", "nightly").toJobParameters());
		step(job, 20, "topics", BatchStatus.FAILED, "java.lang.IllegalStateException: the cluster is gone");
		job.setStatus(BatchStatus.FAILED);
		job.setExitStatus(ExitStatus.FAILED);

		new FailedStepExitStatus().afterJob(job);

		assertThat(ExecutionSummary.of(job).failure()).isEqualTo("the cluster is gone");
	}

	private static void step(JobExecution job, long id, String name, BatchStatus status, String description) {
		StepExecution step = new StepExecution(id, name, job);
		step.setStatus(status);
		step.setExitStatus(new ExitStatus(status.name(), description));
		job.addStepExecution(step);
	}

}
