package io.kafkadr.restore;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import io.kafkadr.testing.BulkData;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.RecordedRuns;
import io.kafkadr.testing.Sandboxes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restore that an earlier release started and did not finish, whose job instance is identified
 * by the options JSON itself rather than their digest: the same command after the upgrade resumes
 * that instance, rather than starting a second restore into the topics the first one created.
 */
@Tag("integration")
class RestoreFromEarlierReleaseTest {

	@TempDir
	Path storage;

	@Test
	void resumesTheInstanceAnEarlierReleaseStarted() {
		try (Sandboxes sandboxes = Sandboxes.start()) {
			BulkData.raw(sandboxes.bootstrapServers(), "orders", 2, 50);
			CommandRun backup = CommandRun.of(sandboxes.properties(this.storage, "--kafka-dr.topics.raw=orders"), "backup",
					"--backup-id", "before-upgrade");
			assertThat(backup.exitCode()).as(backup.toString()).isZero();

			String options = new RestoreOptions(null, Map.of("orders", "orders-restored"), null, false, null, null, null)
				.toJson();
			JobParameters earlierRelease = new JobParametersBuilder()
				.addString(RestoreJobConfiguration.BACKUP_ID, "before-upgrade")
				.addString(RestoreJobConfiguration.TARGET, sandboxes.clusterId())
				.addString(RestoreJobConfiguration.OPTIONS, options)
				.toJobParameters();
			try (RecordedRuns runs = RecordedRuns.open(this.storage)) {
				runs.execution(RestoreJobConfiguration.JOB_NAME, earlierRelease, BatchStatus.FAILED,
						LocalDateTime.now().minusMinutes(10));
			}

			CommandRun restore = CommandRun.of(sandboxes.properties(this.storage), "restore", "--backup-id",
					"before-upgrade", "--rename", "orders=orders-restored");

			assertThat(restore.exitCode()).as(restore.toString()).isZero();
			assertThat(restore.out()).contains("Validation PASSED");
			try (RecordedRuns runs = RecordedRuns.open(this.storage)) {
				List<JobInstance> instances = runs.repository().getJobInstances(RestoreJobConfiguration.JOB_NAME, 0, 10);
				assertThat(instances).as("restore job instances").hasSize(1);
				List<JobExecution> executions = runs.repository().getJobExecutions(instances.get(0));
				assertThat(executions).extracting(JobExecution::getStatus)
					.containsExactlyInAnyOrder(BatchStatus.FAILED, BatchStatus.COMPLETED);
			}
		}
	}

}
