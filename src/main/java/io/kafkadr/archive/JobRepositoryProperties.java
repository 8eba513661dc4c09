package io.kafkadr.archive;

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

}
