package io.kafkadr.execution;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.core.io.DefaultResourceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/** The job repository's DDL runs on an empty database, and not at all where the tables exist. */
class JobRepositorySchemaTest {

	@Test
	void createsTheTablesOfAnEmptyDatabase() throws Exception {
		JdbcDataSource database = database();
		initialize(database);
		assertThat(tableExists(database, "BATCH_JOB_INSTANCE")).isTrue();
		assertThat(tableExists(database, "BATCH_STEP_EXECUTION_CONTEXT")).isTrue();
	}

	@Test
	void runsNoDdlWhereTheJobInstanceTableExists() throws Exception {
		JdbcDataSource database = database();
		try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("CREATE TABLE BATCH_JOB_INSTANCE (JOB_INSTANCE_ID BIGINT PRIMARY KEY)");
		}
		initialize(database);
		// The script would have created every other table (its CREATE of the existing one failing and ignored).
		assertThat(tableExists(database, "BATCH_JOB_EXECUTION")).isFalse();
	}

	private static void initialize(JdbcDataSource database) {
		BatchJdbcProperties properties = new BatchJdbcProperties();
		properties.setInitializeSchema(DatabaseInitializationMode.ALWAYS);
		JobRepositorySchema schema = new JobRepositorySchema(database, properties);
		schema.setResourceLoader(new DefaultResourceLoader());
		schema.initializeDatabase();
	}

	private static JdbcDataSource database() {
		JdbcDataSource database = new JdbcDataSource();
		database.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		return database;
	}

	private static boolean tableExists(JdbcDataSource database, String name) throws SQLException {
		try (Connection connection = database.getConnection();
				ResultSet tables = connection.getMetaData().getTables(null, null, name, null)) {
			return tables.next();
		}
	}

}
