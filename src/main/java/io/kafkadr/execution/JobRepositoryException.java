package io.kafkadr.execution;

import java.sql.SQLException;

/**
 * The job repository's database could not be opened: it refused the connection (an outage), or a
 * setting is wrong (its URL, user or password).
 */
public class JobRepositoryException extends RuntimeException {

	JobRepositoryException(SQLException cause) {
		super("Cannot open the job repository's database: " + cause.getMessage() + " (spring.datasource.url,"
				+ " .username and .password choose it; by default it is an H2 file: see kafka-dr.job-repository.directory)", cause);
	}

}
