package io.kafkadr.backup;

import java.nio.file.Path;
import java.util.List;

import io.kafkadr.KafkaDrApplication;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.BackupVerifier;
import io.kafkadr.history.ExecutionSummary;
import io.kafkadr.history.JobHistory;
import io.kafkadr.testing.BulkData;
import io.kafkadr.testing.Sandboxes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.test.JobOperatorTestUtils;
import org.springframework.batch.test.context.SpringBatchTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backup job on a real job repository: a run that fails at a step (the broker is down) is
 * restarted from that step, completed steps are not run again, and the history keeps both
 * executions of the one job instance. Subclasses choose the job repository.
 */
@SpringBatchTest
@SpringBootTest(classes = KafkaDrApplication.class)
@Tag("integration")
abstract class BackupJobRestartContract {

	static Sandboxes sandboxes;

	@TempDir
	static Path storage;

	@Autowired
	JobOperatorTestUtils jobOperatorTestUtils;

	@Autowired
	JobOperator jobOperator;

	@Autowired
	Job backupJob;

	@Autowired
	JobHistory history;

	@Autowired
	BackupStorage backupStorage;

	static void sandboxProperties(DynamicPropertyRegistry registry) {
		if (sandboxes == null) {
			sandboxes = Sandboxes.start();
			BulkData.avro(sandboxes.bootstrapServers(), sandboxes.registryClient(), "cdc.customers", 2, 500);
			BulkData.raw(sandboxes.bootstrapServers(), "connect-status", 3, 200);
		}
		registry.add("spring.kafka.bootstrap-servers", sandboxes::bootstrapServers);
		registry.add("kafka-dr.registry.url", () -> sandboxes.registry().url());
		registry.add("kafka-dr.storage.location", () -> storage.toString());
		registry.add("kafka-dr.topics.avro", () -> "cdc\\..*");
		registry.add("kafka-dr.topics.raw", () -> "connect-.*");
		registry.add("kafka-dr.backup.kafka-timeout", () -> "4s");
		registry.add("kafka-dr.backup.chunk-size", () -> "100");
	}

	@AfterAll
	static void stop() {
		sandboxes.close();
		sandboxes = null;
	}

	@BeforeEach
	void useTheBackupJob() {
		this.jobOperatorTestUtils.setJob(this.backupJob);
	}

	@Test
	void restartsAtTheStepThatFailedWhenTheBrokerWasDown() throws Exception {
		var parameters = new JobParametersBuilder().addString(BackupJobConfiguration.BACKUP_ID, "outage").toJobParameters();
		sandboxes.kafka().stopBroker();
		JobExecution failed;
		try {
			failed = this.jobOperatorTestUtils.startJob(parameters);
		}
		finally {
			sandboxes.kafka().startBroker();
		}
		assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
		assertThat(failed.getStepExecutions()).extracting(StepExecution::getStepName, StepExecution::getStatus)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("schemas", BatchStatus.COMPLETED),
					org.assertj.core.groups.Tuple.tuple("topics", BatchStatus.FAILED));

		JobExecution restarted = this.jobOperator.restart(failed);

		assertThat(restarted.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(restarted.getJobInstance().getInstanceId()).isEqualTo(failed.getJobInstance().getInstanceId());
		List<String> rerun = restarted.getStepExecutions().stream().map(StepExecution::getStepName).toList();
		assertThat(rerun).doesNotContain("schemas").contains("topics", "internalTopics", "cdcTopics", "seal");
		BackupVerifier.Report report = new BackupVerifier().verify(this.backupStorage.backup("outage"));
		assertThat(report.problems()).isEmpty();
		assertThat(report.records()).isEqualTo(2 * 500 + 3 * 200);

		List<ExecutionSummary> executions = this.history.executions(10)
			.stream()
			.filter(e -> "outage".equals(e.backupId()))
			.toList();
		assertThat(executions).extracting(ExecutionSummary::status).containsExactly("COMPLETED", "FAILED");
		assertThat(executions.get(1).failure()).contains("topics").isNotBlank();
		assertThat(executions.get(0).steps()).filteredOn(step -> step.name().equals("cdcTopics"))
			.singleElement()
			.satisfies(step -> {
				assertThat(step.partitions()).isEqualTo(2);
				assertThat(step.writeCount()).isEqualTo(1000);
			});
	}

}
