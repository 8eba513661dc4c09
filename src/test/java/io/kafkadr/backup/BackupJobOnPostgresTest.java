package io.kafkadr.backup;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backup job on a PostgreSQL job repository: the real server on 127.0.0.1:5432, in a schema
 * of its own that the test drops afterwards.
 */
class BackupJobOnPostgresTest extends BackupJobRestartContract {

	private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

	private static final String SCHEMA = "kafka_dr_" + UUID.randomUUID().toString().replace("-", "");

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws SQLException {
		try (Connection connection = DriverManager.getConnection(URL, "postgres", "")) {
			connection.createStatement().execute("CREATE SCHEMA " + SCHEMA);
		}
		registry.add("spring.datasource.url", () -> URL + "?currentSchema=" + SCHEMA);
		registry.add("spring.datasource.username", () -> "postgres");
		registry.add("spring.datasource.password", () -> "");
		sandboxProperties(registry);
	}

	@AfterAll
	static void dropSchema() throws SQLException {
		try (Connection connection = DriverManager.getConnection(URL, "postgres", "")) {
			connection.createStatement().execute("DROP SCHEMA " + SCHEMA + " CASCADE");
		}
	}

	@Autowired
	DataSource dataSource;

	@Test
	void keepsItsJobRepositoryInPostgres() throws Exception {
		try (Connection connection = this.dataSource.getConnection()) {
			assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
			var tables = connection.getMetaData().getTables(null, SCHEMA, "batch_job_execution", null);
			assertThat(tables.next()).isTrue();
		}
	}

}
