package io.kafkadr.execution;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

/**
 * Runs a job instance to its end: starts it, or restarts its last execution from the step that
 * failed. An execution still marked running is recovered first; callers hold the storage lock, so
 * the process that ran it is gone (killed, out of memory, node lost).
 *
 * <p>It knows which instances it is running, so that {@link #requestStop()} (on SIGTERM) stops
 * exactly those, never another process's job in a shared job repository.
 */
@Component
public class JobInstanceRunner {

	private static final Logger log = LoggerFactory.getLogger(JobInstanceRunner.class);

	/** A worker commits a chunk every second or so: a few tries always find a moment between two of its commits. */
	private static final int RECOVER_ATTEMPTS = 20;

	private final JobOperator jobOperator;

	private final JobRepository jobRepository;

	private final Set<RunningInstance> running = ConcurrentHashMap.newKeySet();

	public JobInstanceRunner(JobOperator jobOperator, JobRepository jobRepository) {
		this.jobOperator = jobOperator;
		this.jobRepository = jobRepository;
	}

	/** The last execution of the instance these parameters identify, or null if it never ran. */
	public JobExecution lastExecution(String jobName, JobParameters parameters) {
		JobInstance instance = this.jobRepository.getJobInstance(jobName, parameters);
		return (instance != null) ? this.jobRepository.getLastJobExecution(instance) : null;
	}

	/** Marks a stopped or failed execution abandoned: its instance is never restarted. */
	public JobExecution abandon(JobExecution execution) {
		try {
			return this.jobOperator.abandon(execution);
		}
		catch (JobExecutionAlreadyRunningException ex) {
			throw new IllegalStateException("Execution " + execution.getId() + " is still running", ex);
		}
	}

	/** Starts a new instance and returns its finished execution. */
	public JobExecution start(Job job, JobParameters parameters) {
		return run(new RunningInstance(job.getName(), parameters), () -> this.jobOperator.start(job, parameters),
				"Could not start " + job.getName());
	}

	/** Restarts an interrupted or failed execution where it stopped and returns the new, finished one. */
	public JobExecution resume(JobExecution previous) {
		String what = previous.getJobInstance().getJobName() + " instance " + previous.getJobInstance().getInstanceId()
				+ " (backup " + previous.getJobParameters().getString(JobKeys.BACKUP_ID) + ")";
		if (previous.getStatus().isRunning()) {
			log.info("{} was interrupted (execution {} is still marked {}); recovering it", what, previous.getId(),
					previous.getStatus());
			previous = recover(previous);
		}
		if (previous.getStatus() == BatchStatus.COMPLETED) {
			throw new IllegalStateException(what + " already completed");
		}
		log.info("Resuming {} after execution {} ended {}", what, previous.getId(), previous.getStatus());
		JobExecution last = previous;
		return run(new RunningInstance(previous.getJobInstance().getJobName(), previous.getJobParameters()),
				() -> this.jobOperator.restart(last), "Could not resume " + what);
	}

	/**
	 * Marks an interrupted execution and its running steps failed. A worker of a remote partition may
	 * still be committing chunks of that execution (its manager was killed, the worker was not): an
	 * update that meets the worker's newer version reads the execution again and goes on; the
	 * worker's next commit then fails, and the restarted execution resumes its partition.
	 */
	private JobExecution recover(JobExecution interrupted) {
		JobExecution execution = interrupted;
		for (int attempt = 1;; attempt++) {
			try {
				return this.jobOperator.recover(execution);
			}
			catch (OptimisticLockingFailureException ex) {
				if (attempt == RECOVER_ATTEMPTS) {
					throw ex;
				}
				execution = this.jobRepository.getJobExecution(execution.getId());
			}
		}
	}

	private JobExecution run(RunningInstance instance, Callable<JobExecution> launch, String failure) {
		this.running.add(instance);
		try {
			JobExecution finished = launch.call();
			// As stored: with remote partitioning the partitions' own records are those their workers saved.
			JobExecution stored = this.jobRepository.getJobExecution(finished.getId());
			if (stored == null) {
				return finished;
			}
			// The exceptions themselves are not stored: those this process saw go with the stored execution.
			finished.getFailureExceptions().forEach(stored::addFailureException);
			for (StepExecution step : finished.getStepExecutions()) {
				stored.getStepExecutions()
					.stream()
					.filter(storedStep -> Objects.equals(storedStep.getId(), step.getId()))
					.forEach(storedStep -> step.getFailureExceptions().forEach(storedStep::addFailureException));
			}
			return stored;
		}
		catch (Exception ex) {
			throw new IllegalStateException(failure + ": " + ex.getMessage(), ex);
		}
		finally {
			this.running.remove(instance);
		}
	}

	/** Whether this runner is running a job now. */
	public boolean isRunning() {
		return !this.running.isEmpty();
	}

	/**
	 * Asks the executions this runner is running to stop at their next chunk boundary. Call it
	 * again while {@link #isRunning()}: an execution that is only being created when it is first
	 * called is stopped by a later call.
	 *
	 * <p>Only the job execution is marked STOPPING, in the job repository: every step checks that
	 * at its chunk boundaries ({@code JobRepository.update(StepExecution)} sets its terminate-only
	 * flag), ends STOPPED, and the job records STOPPED once it really has stopped.
	 * {@code JobOperator.stop} would also mark the running step executions STOPPED from a copy read
	 * now, writing their rows while the steps commit chunks to them (an optimistic-locking failure
	 * turns the stop into a failure), and would record the job's end before it has ended.
	 */
	public void requestStop() {
		for (RunningInstance instance : this.running) {
			JobExecution execution = lastExecution(instance.jobName(), instance.parameters());
			if (execution != null
					&& (execution.getStatus() == BatchStatus.STARTING || execution.getStatus() == BatchStatus.STARTED)) {
				log.info("Stopping {} execution {} at its next chunk boundary", instance.jobName(), execution.getId());
				execution.setStatus(BatchStatus.STOPPING);
				this.jobRepository.update(execution);
			}
		}
	}

	private record RunningInstance(String jobName, JobParameters parameters) {
	}

}
