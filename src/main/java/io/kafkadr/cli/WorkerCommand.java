package io.kafkadr.cli;

import java.util.List;
import java.util.concurrent.Callable;

import io.kafkadr.backup.BackupProperties;
import io.kafkadr.partitioning.JobPartitions;
import io.kafkadr.partitioning.PartitionWorker;
import io.kafkadr.partitioning.PartitioningProperties;
import io.kafkadr.partitioning.WorkRequests;
import io.kafkadr.progress.ProgressReporter;
import io.kafkadr.restore.RestoreProperties;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code worker}: runs the partitions of backups and restores whose manager runs with {@code kafka-dr.partitioning=remote}. */
@Command(name = "worker", mixinStandardHelpOptions = true,
		description = { "Run partitions of backups and restores for a manager started with",
				"--kafka-dr.partitioning=remote: give it the same plan and the same PostgreSQL job repository",
				"(spring.datasource.url). Start as many as you like, before or after the manager; each runs",
				"kafka-dr.worker.threads partitions at a time. A worker that is killed leaves its partitions to",
				"the others, which resume them from their last committed chunk. It runs until stopped, or with",
				"--until-done until no backup or restore is left to serve (for a Kubernetes Job of workers)." })
class WorkerCommand implements Callable<Integer> {

	@Mixin
	SettingOptions settings;

	@Option(names = "--until-done",
			description = "End (exit 0) once idle for kafka-dr.worker.idle-timeout while no partition waits and no"
					+ " backup or restore runs.")
	boolean untilDone;

	@Autowired
	WorkRequests requests;

	@Autowired
	JobRepository jobRepository;

	@Autowired
	List<JobPartitions> jobs;

	@Autowired
	PartitioningProperties partitioning;

	@Autowired
	BackupProperties backup;

	@Autowired
	RestoreProperties restore;

	@Autowired
	ProgressReporter progress;

	@Override
	public Integer call() throws Exception {
		PartitioningProperties.Worker worker = this.partitioning.worker();
		int threads = (worker.threads() != null) ? worker.threads()
				: Math.max(this.backup.backup().parallelism(), this.restore.parallelism());
		try (AutoCloseable lines = this.progress.reportPartitions()) {
			new PartitionWorker(this.requests, this.jobRepository, this.jobs).serve(threads, this.untilDone,
					worker.idleTimeout());
		}
		return ExitCodes.OK;
	}

}
