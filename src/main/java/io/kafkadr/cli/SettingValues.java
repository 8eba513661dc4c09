package io.kafkadr.cli;

import java.util.Map;

import io.kafkadr.backup.BackupLauncher;
import io.kafkadr.backup.BackupProperties;
import io.kafkadr.partitioning.PartitioningProperties;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;

/**
 * Binds every {@code kafka-dr.*} setting, and checks what the command about to run needs of them,
 * while the environment is prepared and before the application context exists: a value no setting
 * takes, or a backup with no topic selected, is refused before anything is created (the job
 * repository's file first of all), with the same message the application would give.
 */
final class SettingValues implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	private final Object command;

	/** @param command the picocli command object that will run */
	SettingValues(Object command) {
		this.command = command;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		Binder binder = Binder.get(event.getEnvironment());
		for (Map.Entry<String, Class<?>> properties : UnknownSettings.PROPERTIES) {
			binder.bindOrCreate(properties.getKey(), properties.getValue());
		}
		boolean worker = this.command instanceof WorkerCommand;
		if ((worker || this.command instanceof BackupCommand || this.command instanceof RestoreCommand)
				&& (worker || binder.bindOrCreate("kafka-dr", PartitioningProperties.class).remote())) {
			String url = event.getEnvironment().getProperty("spring.datasource.url", "");
			if (!url.startsWith("jdbc:postgresql:")) {
				throw new UsageException((worker ? "A worker" : "kafka-dr.partitioning=remote")
						+ " needs the job repository that the manager and its workers share, in PostgreSQL; the job"
						+ " repository here is " + url.replaceFirst(";.*", "") + ". Set spring.datasource.url=jdbc:postgresql://HOST/DB"
						+ " (and spring.datasource.username/password) for the manager and every worker.");
			}
		}
		if (this.command instanceof BackupCommand) {
			BackupProperties backup = binder.bindOrCreate("kafka-dr", BackupProperties.class);
			String problem = BackupLauncher.configurationProblem(backup,
					binder.bind("kafka-dr.registry.url", String.class).isBound());
			if (problem != null) {
				throw new UsageException(problem);
			}
		}
	}

}
