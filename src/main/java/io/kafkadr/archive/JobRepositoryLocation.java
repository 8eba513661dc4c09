package io.kafkadr.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.kafkadr.storage.LocalObjectStore;
import io.kafkadr.storage.OwnerOnly;
import io.kafkadr.storage.StorageException;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Puts the default job repository, an H2 file, in {@code kafka-dr.job-repository.directory}, or
 * else inside a local storage location's {@code .kafka-dr} directory, so that backups and their
 * history travel together (one volume in Kubernetes); an object-store location cannot hold it, so
 * there it defaults to {@code .kafka-dr} in the working directory. It applies only when
 * {@code spring.datasource.url} is not set (set it for PostgreSQL). H2's auto server mode lets
 * {@code history} read the file while a backup holds it.
 *
 * <p>The URL is computed when first asked for, not when this runs, so that a storage location
 * set by any property source, however late it is added, counts.
 */
public class JobRepositoryLocation implements EnvironmentPostProcessor {

	private static final String URL = "spring.datasource.url";

	/** The H2 database's name; its file is this with {@code .mv.db}. */
	private static final String FILE = "job-repository";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources().addLast(new DefaultRepository(environment));
	}

	/**
	 * Not a source over the environment itself: Spring Boot's binder would walk into it and back
	 * into this source forever.
	 */
	private static final class DefaultRepository extends PropertySource<Object> {

		private final ConfigurableEnvironment environment;

		private String url;

		DefaultRepository(ConfigurableEnvironment environment) {
			super("kafka-dr-job-repository", new Object());
			this.environment = environment;
		}

		@Override
		public Object getProperty(String name) {
			return switch (name) {
				case URL -> url();
				case "spring.datasource.username" -> "sa";
				case "spring.datasource.password" -> "";
				default -> null;
			};
		}

		private synchronized String url() {
			if (this.url == null) {
				try {
					Path file = directory().resolve(FILE);
					// WRITE_DELAY=0: H2 otherwise writes commits to its file up to half a second late, and a
					// killed backup would forget chunks (or its very start) that it had committed.
					this.url = "jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
				}
				catch (StorageException ex) {
					// A location that cannot be written (a snapshot, a read-only mount) still holds the history of
					// the runs that wrote it: read as it is, so that history shows it. Spring Boot would otherwise
					// swallow this failure and give an empty in-memory database, and history would say "none".
					Path existing = readOnlyRepository();
					if (existing == null) {
						throw ex;
					}
					this.url = "jdbc:h2:file:" + existing + ";ACCESS_MODE_DATA=r;FILE_LOCK=NO";
				}
			}
			return this.url;
		}

		/** The job repository of a local location that cannot be written, when it has one; else null. */
		private Path readOnlyRepository() {
			String location = this.environment.getProperty("kafka-dr.storage.location", "backups");
			if (StorageProperties.isObjectStore(location)) {
				return null;
			}
			Path file = Path.of(location).toAbsolutePath().normalize().resolve(LocalObjectStore.TOOL_DIRECTORY)
				.resolve(FILE);
			return Files.isRegularFile(file.resolveSibling(FILE + ".mv.db")) ? file : null;
		}


		/**
		 * The directory of the job repository's files, created owner-only and proven writable: H2 would
		 * otherwise fail with an obscure message when it cannot create its file.
		 */
		private Path directory() {
			Path directory = Binder.get(this.environment)
				.bind("kafka-dr.job-repository", JobRepositoryProperties.class)
				.map(JobRepositoryProperties::directory)
				.orElse(null);
			String location = this.environment.getProperty("kafka-dr.storage.location", "backups");
			if (directory == null && !StorageProperties.isObjectStore(location)) {
				LocalObjectStore store = new LocalObjectStore(Path.of(location));
				try {
					store.checkWritable();
				}
				catch (StorageException ex) {
					throw new StorageException(ex.getMessage() + " " + JobRepositoryProperties.READ_ONLY_HINT, ex);
				}
				return store.root().resolve(LocalObjectStore.TOOL_DIRECTORY);
			}
			Path chosen = ((directory != null) ? directory : Path.of(LocalObjectStore.TOOL_DIRECTORY)).toAbsolutePath()
				.normalize();
			try {
				OwnerOnly.directories(chosen);
				Files.delete(Files.createTempFile(chosen, "write-check", ".tmp"));
			}
			catch (IOException | SecurityException ex) {
				throw new StorageException("The job repository's directory " + chosen + " is not writable (" + ex
						+ "). Point kafka-dr.job-repository.directory at a directory this user can write (a small"
						+ " persistent volume), or use PostgreSQL (spring.datasource.url).");
			}
			return chosen;
		}

	}

}
