package io.kafkadr.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/** Queries over the job repository: which runs happened and how each went. */
@Component
public class JobHistory {

	private static final int INSTANCES_PER_JOB = 1000;

	private final JobRepository jobRepository;

	public JobHistory(JobRepository jobRepository) {
		this.jobRepository = jobRepository;
	}

	/** The newest executions of every job, newest first. */
	public List<ExecutionSummary> executions(int limit) {
		List<JobExecution> executions = new ArrayList<>();
		for (String jobName : this.jobRepository.getJobNames()) {
			for (JobInstance instance : this.jobRepository.getJobInstances(jobName, 0, INSTANCES_PER_JOB)) {
				executions.addAll(this.jobRepository.getJobExecutions(instance));
			}
		}
		return executions.stream()
			.sorted(Comparator.comparing(JobExecution::getId).reversed())
			.limit(limit)
			.map(ExecutionSummary::of)
			.toList();
	}

	/** The last execution of the job instance for this backup id, if any. */
	public Optional<ExecutionSummary> lastExecution(String jobName, String backupId) {
		JobInstance instance = this.jobRepository.getJobInstance(jobName,
				new JobParametersBuilder().addString("backup.id", backupId).toJobParameters());
		return Optional.ofNullable((instance != null) ? this.jobRepository.getLastJobExecution(instance) : null)
			.map(ExecutionSummary::of);
	}

}
