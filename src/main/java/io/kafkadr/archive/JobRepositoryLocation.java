package io.kafkadr.archive;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Puts the default job repository, an H2 file, inside the storage location's {@code .kafka-dr}
 * directory, so that backups and their history travel together (one volume in Kubernetes). It
 * applies only when {@code spring.datasource.url} is not set (set it for PostgreSQL). H2's auto
 * server mode lets {@code history} read the file while a backup holds it.
 */
public class JobRepositoryLocation implements EnvironmentPostProcessor, Ordered {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty("spring.datasource.url")) {
			return;
		}
		BackupStorage storage = new BackupStorage(
				Path.of(environment.getProperty("kafka-dr.storage.location", "backups")));
		storage.checkWritable();
		Path file = storage.location().resolve(StorageLock.TOOL_DIRECTORY).resolve("job-repository");
		environment.getPropertySources()
			.addLast(new MapPropertySource("kafka-dr-job-repository",
					Map.of("spring.datasource.url", "jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE", "spring.datasource.username",
							"sa", "spring.datasource.password", "")));
	}

	@Override
	public int getOrder() {
		// after the config files are read, so that kafka-dr.storage.location from them counts
		return Ordered.LOWEST_PRECEDENCE;
	}

}
