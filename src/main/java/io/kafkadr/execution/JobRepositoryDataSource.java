package io.kafkadr.execution;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The job repository's DataSource, which opens the job repository on its first connection, once:
 * it creates the default H2 file's directory ({@link JobRepositoryLocation}) and the tables that are
 * missing ({@link JobRepositorySchema}). Nothing connects while the application starts, so a command
 * refused before it uses the job repository creates no file. A database that cannot be opened is a
 * {@link JobRepositoryException}; a directory that cannot be written, a storage refusal.
 */
final class JobRepositoryDataSource extends DelegatingDataSource {

	/** The default H2 file, or null for the database of {@code spring.datasource.url}. */
	private final JobRepositoryLocation.DefaultFile file;

	private final BatchJdbcProperties properties;

	private volatile boolean open;

	JobRepositoryDataSource(DataSource target, JobRepositoryLocation.DefaultFile file, BatchJdbcProperties properties) {
		super(target);
		this.file = file;
		this.properties = properties;
	}

	@Override
	public Connection getConnection() throws SQLException {
		open();
		return super.getConnection();
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		open();
		return super.getConnection(username, password);
	}

	private void open() {
		if (this.open) {
			return;
		}
		synchronized (this) {
			if (!this.open) {
				if (this.file != null) {
					this.file.prepare();
				}
				DataSource target = obtainTargetDataSource();
				try {
					// before the schema, whose failure would hide an unreachable database behind its platform detection
					target.getConnection().close();
				}
				catch (SQLException ex) {
					throw new JobRepositoryException(ex);
				}
				JobRepositorySchema schema = new JobRepositorySchema(target, this.properties);
				schema.setResourceLoader(new DefaultResourceLoader(JobRepositoryDataSource.class.getClassLoader()));
				schema.initializeDatabase();
				this.open = true;
			}
		}
	}

}
