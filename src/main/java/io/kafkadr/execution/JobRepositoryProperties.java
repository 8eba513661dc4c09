package io.kafkadr.execution;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the default H2 job repository lives ({@code kafka-dr.job-repository.*}): {@code directory},
 * when set; otherwise the {@code .kafka-dr} directory of a local storage location, or {@code .kafka-dr}
 * in the working directory for an object-store location. PostgreSQL ({@code spring.datasource.url})
 * replaces it.
 */
@ConfigurationProperties("kafka-dr.job-repository")
public record JobRepositoryProperties(Path directory) {

	/** What to do about a storage location that cannot be written, for the commands that only read it. */
	public static final String READ_ONLY_HINT = "To read backups from a location that is read-only (a snapshot, a"
			+ " volume mounted read-only), set kafka-dr.job-repository.directory to a writable directory: the job"
			+ " repository, and a restore's lock and validation report, go there, and nothing is written into the"
			+ " location.";

}
