package io.kafkadr.testing;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;

import io.kafkadr.KafkaDrApplication;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Job executions written straight into the job repository of a storage location (the real H2
 * file), at chosen times in the past, for tests of what reads the history: runs of days ago cannot
 * be had otherwise. The repository stamps creation and last-update times with the current time;
 * those are set back with SQL.
 */
public final class RecordedRuns implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final JobRepository repository;

	private final JdbcTemplate jdbc;

	private RecordedRuns(ConfigurableApplicationContext context) {
		this.context = context;
		this.repository = context.getBean(JobRepository.class);
		this.jdbc = context.getBean(JdbcTemplate.class);
	}

	public static RecordedRuns open(Path storage) {
		return new RecordedRuns(new SpringApplicationBuilder(KafkaDrApplication.class).web(WebApplicationType.NONE)
			.logStartupInfo(false)
			.run("--kafka-dr.storage.location=" + storage));
	}

	/** The job repository itself, to read back what a command recorded. */
	public JobRepository repository() {
		return this.repository;
	}

	/**
	 * An execution of the job instance these parameters identify, started at {@code started} and,
	 * unless its status is a running one, ended 5 minutes later.
	 */
	public JobExecution execution(String jobName, JobParameters parameters, BatchStatus status, LocalDateTime started) {
		JobInstance instance = this.repository.getJobInstance(jobName, parameters);
		if (instance == null) {
			instance = this.repository.createJobInstance(jobName, parameters);
		}
		JobExecution execution = this.repository.createJobExecution(instance, parameters, new ExecutionContext());
		LocalDateTime ended = status.isRunning() ? null : started.plusMinutes(5);
		execution.setStartTime(started);
		execution.setEndTime(ended);
		execution.setStatus(status);
		execution.setExitStatus(new ExitStatus(status.name(), (status == BatchStatus.FAILED) ? "it broke" : ""));
		this.repository.update(execution);
		this.jdbc.update("UPDATE BATCH_JOB_EXECUTION SET CREATE_TIME = ?, LAST_UPDATED = ? WHERE JOB_EXECUTION_ID = ?",
				started, (ended != null) ? ended : started, execution.getId());
		return execution;
	}

	/** A step execution of that execution, with counts and a saved execution context. */
	public StepExecution step(JobExecution execution, String name, BatchStatus status, long written,
			Map<String, Object> context) {
		StepExecution step = this.repository.createStepExecution(name, execution);
		LocalDateTime started = execution.getStartTime();
		step.setStartTime(started);
		step.setEndTime(status.isRunning() ? null : started.plusMinutes(4));
		step.setStatus(status);
		step.setExitStatus(new ExitStatus(status.name()));
		step.setReadCount(written);
		step.setWriteCount(written);
		step.setCommitCount(written / 10);
		context.forEach(step.getExecutionContext()::put);
		this.repository.update(step);
		this.repository.updateExecutionContext(step);
		this.jdbc.update("UPDATE BATCH_STEP_EXECUTION SET CREATE_TIME = ?, LAST_UPDATED = ? WHERE STEP_EXECUTION_ID = ?",
				started, started.plusMinutes(4), step.getId());
		return step;
	}

	@Override
	public void close() {
		this.context.close();
	}

}
