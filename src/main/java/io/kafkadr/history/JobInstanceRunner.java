package io.kafkadr.history;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * Runs a job instance to its end: starts it, or restarts its last execution from the step that
 * failed. An execution still marked running is recovered first; callers hold the storage lock, so
 * the process that ran it is gone (killed, out of memory, node lost).
 */
@Component
public class JobInstanceRunner {

	private static final Logger log = LoggerFactory.getLogger(JobInstanceRunner.class);

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	public JobInstanceRunner(JobOperator jobOperator, JobRepository jobRepository) {
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
	}

	/** The last execution of the instance these parameters identify, or null if it never ran. */
	public JobExecution lastExecution(String jobName, JobParameters parameters) {
		JobInstance instance = this.jobRepository.getJobInstance(jobName, parameters);
		return (instance != null) ? this.jobRepository.getLastJobExecution(instance) : null;
	}

	/** Starts a new instance and returns its finished execution. */
	public JobExecution start(Job job, JobParameters parameters) {
		try {
			return this.jobOperator.start(job, parameters);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not start " + job.getName() + ": " + ex.getMessage(), ex);
		}
	}

	/** Restarts an interrupted or failed execution where it stopped and returns the new, finished one. */
	public JobExecution resume(JobExecution previous) {
		String what = previous.getJobInstance().getJobName() + " instance " + previous.getJobInstance().getInstanceId()
				+ " (backup " + previous.getJobParameters().getString("backup.id") + ")";
		if (previous.getStatus().isRunning()) {
			log.info("{} was interrupted (execution {} is still marked {}); recovering it", what, previous.getId(),
					previous.getStatus());
			previous = this.jobOperator.recover(previous);
		}
		if (previous.getStatus() == BatchStatus.COMPLETED) {
			throw new IllegalStateException(what + " already completed");
		}
		log.info("Resuming {} after execution {} ended {}", what, previous.getId(), previous.getStatus());
		try {
			return this.jobOperator.restart(previous);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not resume " + what + ": " + ex.getMessage(), ex);
		}
	}

}
