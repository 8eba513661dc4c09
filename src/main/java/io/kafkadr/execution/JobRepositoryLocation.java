package io.kafkadr.execution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.kafkadr.storage.LocalObjectStore;
import io.kafkadr.storage.OwnerOnly;
import io.kafkadr.storage.S3Location;
import io.kafkadr.storage.StorageException;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
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
 * set by any property source, however late it is added, counts. Computing it writes nothing: the
 * directory is made on the first connection ({@link JobRepositoryDataSource}), so that a command
 * refused before it uses the job repository leaves no file behind.
 */
public class JobRepositoryLocation implements EnvironmentPostProcessor {

	private static final String URL = "spring.datasource.url";

	private static final String SOURCE = "kafka-dr-job-repository";

	/** The H2 database's name; its file is this with {@code .mv.db}. */
	private static final String FILE = "job-repository";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources().addLast(new DefaultRepository(environment));
	}

	/** The default H2 file when it is the job repository: nothing else sets {@code spring.datasource.url}. */
	static Optional<DefaultFile> inEffect(Environment environment) {
		if (environment instanceof ConfigurableEnvironment configurable
				&& configurable.getPropertySources().get(SOURCE) instanceof DefaultRepository source
				&& source.file().url().equals(environment.getProperty(URL))) {
			return Optional.of(source.file());
		}
		return Optional.empty();
	}

	/**
	 * Whether the job repository is the default H2 file and that was never created: it holds no runs
	 * then, and reading it would create it.
	 */
	public static boolean neverCreated(Environment environment) {
		return inEffect(environment).filter(file -> !file.exists()).isPresent();
	}

	/**
	 * The default job repository: H2's {@code file} (without its {@code .mv.db}); the local storage
	 * {@code location} whose {@code .kafka-dr} directory holds it, or null when it has a directory of
	 * its own; {@code readOnly} when that location cannot be written but holds one already.
	 */
	record DefaultFile(Path file, Path location, boolean readOnly) {

		/** Where the settings put it; this only looks at the file system. */
		static DefaultFile of(Environment environment) {
			Path directory = Binder.get(environment)
				.bind("kafka-dr.job-repository", JobRepositoryProperties.class)
				.map(JobRepositoryProperties::directory)
				.orElse(null);
			String location = environment.getProperty("kafka-dr.storage.location", "backups");
			if (directory == null && !S3Location.isS3(location)) {
				Path root = new LocalObjectStore(Path.of(location)).root();
				Path tool = root.resolve(LocalObjectStore.TOOL_DIRECTORY);
				// A location that cannot be written (a snapshot, a read-only mount) still holds the history of the
				// runs that wrote it: read as it is, so that history shows it.
				boolean readOnly = Files.isRegularFile(tool.resolve(FILE + ".mv.db")) && !Files.isWritable(tool);
				return new DefaultFile(tool.resolve(FILE), root, readOnly);
			}
			Path chosen = ((directory != null) ? directory : Path.of(LocalObjectStore.TOOL_DIRECTORY)).toAbsolutePath()
				.normalize();
			return new DefaultFile(chosen.resolve(FILE), null, false);
		}

		String url() {
			if (this.readOnly) {
				return "jdbc:h2:file:" + this.file + ";ACCESS_MODE_DATA=r;FILE_LOCK=NO";
			}
			// WRITE_DELAY=0: H2 otherwise writes commits to its file up to half a second late, and a killed backup
			// would forget chunks (or its very start) that it had committed.
			return "jdbc:h2:file:" + this.file + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
		}

		boolean exists() {
			return Files.isRegularFile(this.file.resolveSibling(FILE + ".mv.db"));
		}

		/**
		 * Creates its directory, owner-only, and proves it writable: H2 would otherwise fail with an
		 * obscure message when it cannot create its file. A read-only one is read as it is.
		 */
		void prepare() {
			if (this.readOnly) {
				return;
			}
			if (this.location != null) {
				try {
					new LocalObjectStore(this.location).checkWritable();
				}
				catch (StorageException ex) {
					throw new StorageException(ex.getMessage() + " " + JobRepositoryProperties.READ_ONLY_HINT, ex);
				}
				return;
			}
			Path directory = this.file.getParent();
			try {
				OwnerOnly.directories(directory);
				Files.delete(Files.createTempFile(directory, "write-check", ".tmp"));
			}
			catch (IOException | SecurityException ex) {
				throw new StorageException("The job repository's directory " + directory + " is not writable (" + ex
						+ "). Point kafka-dr.job-repository.directory at a directory this user can write (a small"
						+ " persistent volume), or use PostgreSQL (spring.datasource.url).");
			}
		}

	}

	/**
	 * Not a source over the environment itself: Spring Boot's binder would walk into it and back
	 * into this source forever.
	 */
	private static final class DefaultRepository extends PropertySource<Object> {

		private final ConfigurableEnvironment environment;

		private DefaultFile file;

		DefaultRepository(ConfigurableEnvironment environment) {
			super(SOURCE, new Object());
			this.environment = environment;
		}

		@Override
		public Object getProperty(String name) {
			return switch (name) {
				case URL -> file().url();
				case "spring.datasource.username" -> "sa";
				case "spring.datasource.password" -> "";
				default -> null;
			};
		}

		/** Decided once, so that the URL and the directory the first connection prepares agree. */
		synchronized DefaultFile file() {
			if (this.file == null) {
				this.file = DefaultFile.of(this.environment);
			}
			return this.file;
		}

	}

}
