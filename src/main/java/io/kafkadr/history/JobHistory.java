package io.kafkadr.history;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.kafkadr.execution.JobKeys;
import io.kafkadr.execution.JobRepositoryLocation;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.core.env.Environment;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.stereotype.Component;

/**
 * Queries over the job repository: which runs happened and how each went. A default job repository
 * that was never created holds no run: it is not asked, so that a query does not create it.
 */
@Component
public class JobHistory {

	private static final int INSTANCES_PER_JOB = 1000;

	private final JobRepository jobRepository;

	private final Environment environment;

	public JobHistory(JobRepository jobRepository, Environment environment) {
		this.jobRepository = jobRepository;
		this.environment = environment;
	}

	/**
	 * Which executions to list; a null field does not filter. {@code since} compares with the
	 * execution's start (its creation when it never started).
	 */
	public record Filter(String jobName, BatchStatus status, LocalDateTime since) {

		/** Every execution. */
		public static final Filter ALL = new Filter(null, null, null);

		boolean accepts(JobExecution execution) {
			LocalDateTime started = (execution.getStartTime() != null) ? execution.getStartTime()
					: execution.getCreateTime();
			return (this.status == null || execution.getStatus() == this.status)
					&& (this.since == null || (started != null && !started.isBefore(this.since)));
		}

	}

	/** The newest executions of every job, newest first. */
	public List<ExecutionSummary> executions(int limit) {
		return executions(Filter.ALL, limit);
	}

	/** The newest executions that the filter accepts, newest first. */
	public List<ExecutionSummary> executions(Filter filter, int limit) {
		if (JobRepositoryLocation.neverCreated(this.environment)) {
			return List.of();
		}
		List<JobExecution> executions = new ArrayList<>();
		for (String jobName : this.jobRepository.getJobNames()) {
			if (filter.jobName() != null && !filter.jobName().equals(jobName)) {
				continue;
			}
			for (JobInstance instance : this.jobRepository.getJobInstances(jobName, 0, INSTANCES_PER_JOB)) {
				this.jobRepository.getJobExecutions(instance).stream().filter(filter::accepts).forEach(executions::add);
			}
		}
		return executions.stream()
			.sorted(Comparator.comparing(JobExecution::getId).reversed())
			.limit(limit)
			.map(ExecutionSummary::of)
			.toList();
	}

	/** One execution with its parameters and the progress of every partition it ran, if it exists. */
	public Optional<ExecutionDetails> details(long executionId) {
		if (JobRepositoryLocation.neverCreated(this.environment)) {
			return Optional.empty();
		}
		try {
			return Optional.ofNullable(this.jobRepository.getJobExecution(executionId)).map(ExecutionDetails::of);
		}
		catch (EmptyResultDataAccessException ex) {
			// the JDBC repository of Spring Batch 6.0 throws this where its contract says null
			return Optional.empty();
		}
	}

	/** The last execution of the job instance for this backup id, if any. */
	public Optional<ExecutionSummary> lastExecution(String jobName, String backupId) {
		if (JobRepositoryLocation.neverCreated(this.environment)) {
			return Optional.empty();
		}
		JobInstance instance = this.jobRepository.getJobInstance(jobName,
				new JobParametersBuilder().addString(JobKeys.BACKUP_ID, backupId).toJobParameters());
		return Optional.ofNullable((instance != null) ? this.jobRepository.getLastJobExecution(instance) : null)
			.map(ExecutionSummary::of);
	}

}
