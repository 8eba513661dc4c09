package io.kafkadr.execution;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.boot.batch.jdbc.autoconfigure.BatchDataSourceScriptDatabaseInitializer;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Creates Spring Batch's tables in the job repository only when they are missing, on its first
 * connection ({@link JobRepositoryDataSource}). Boot's own initializer, with
 * {@code spring.batch.jdbc.initialize-schema: always}, runs the whole DDL script on every start and
 * ignores the errors, which on a production PostgreSQL means a burst of failed {@code CREATE TABLE}
 * statements in its log for every CronJob run; and it connects while the application starts.
 */
public class JobRepositorySchema extends BatchDataSourceScriptDatabaseInitializer {

	private static final String DEFAULT_PREFIX = "BATCH_";

	/** The advisory lock that processes creating the tables at once on PostgreSQL take in turn ("kafkadr1" in ASCII). */
	private static final long SCHEMA_LOCK = 0x6b61666b61647231L;

	private final String instanceTable;

	public JobRepositorySchema(DataSource dataSource, BatchJdbcProperties properties) {
		super(dataSource, properties);
		String prefix = (properties.getTablePrefix() != null) ? properties.getTablePrefix() : DEFAULT_PREFIX;
		this.instanceTable = prefix + "JOB_INSTANCE";
	}

	@Override
	protected void runScripts(Scripts scripts) {
		try (Connection connection = getDataSource().getConnection(); Statement lock = connection.createStatement()) {
			// A manager and its workers start together on one PostgreSQL job repository: one of them creates the tables.
			boolean postgres = "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
			if (postgres) {
				lock.execute("select pg_advisory_lock(" + SCHEMA_LOCK + ")");
			}
			try {
				if (!tablesExist()) {
					super.runScripts(scripts);
				}
			}
			finally {
				if (postgres) {
					lock.execute("select pg_advisory_unlock(" + SCHEMA_LOCK + ")");
				}
			}
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException("Could not create the job repository's tables: " + ex.getMessage(),
					ex);
		}
	}

	/** Whether the job-instance table is in the connection's own schema, in any letter case the database folds to. */
	private boolean tablesExist() {
		try (Connection connection = getDataSource().getConnection()) {
			DatabaseMetaData metadata = connection.getMetaData();
			for (String name : new String[] { this.instanceTable.toUpperCase(Locale.ROOT),
					this.instanceTable.toLowerCase(Locale.ROOT) }) {
				try (ResultSet tables = metadata.getTables(connection.getCatalog(), connection.getSchema(), name, null)) {
					if (tables.next()) {
						return true;
					}
				}
			}
			return false;
		}
		catch (SQLException ex) {
			throw new DataAccessResourceFailureException("Could not read the job repository's tables: " + ex.getMessage(),
					ex);
		}
	}

}
