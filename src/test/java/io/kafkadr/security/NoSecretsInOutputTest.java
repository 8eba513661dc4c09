package io.kafkadr.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import com.github.luben.zstd.ZstdInputStream;
import io.kafkadr.registry.BasicAuthProxy;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryProperties;
import io.kafkadr.sandbox.KafkaSandbox;
import io.kafkadr.sandbox.RegistrySandbox;
import io.kafkadr.sandbox.SandboxTls;
import io.kafkadr.testing.CdcCorpus;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.SelfSignedTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every secret kafka-dr is given (the SASL password inside the JAAS config, the registry's
 * basic-auth password, the trust-store password) stays out of everything it writes: standard output,
 * every log line (kafka-dr's at DEBUG, the Kafka clients' at INFO with their config dumps), the job
 * repository (parameters, exit messages, execution contexts) and the storage location, through a
 * backup, a restore, {@code history}, {@code history show --json}, a refused login, an untrusted
 * registry, a malformed JAAS config and a failed job.
 */
@Tag("integration")
class NoSecretsInOutputTest {

	private static final String SASL_PASSWORD = "sasl-S3cret-9f2c";

	private static final String WRONG_SASL_PASSWORD = "wrong-sasl-S3cret-e81a";

	private static final String REGISTRY_PASSWORD = "registry-S3cret-77ab";

	private static final String TRUST_STORE_PASSWORD = "trust-S3cret-51de";

	private static final List<String> SECRETS = List.of(SASL_PASSWORD, WRONG_SASL_PASSWORD, REGISTRY_PASSWORD,
			TRUST_STORE_PASSWORD);

	/** kafka-dr's own logs, the Kafka clients' (their config dumps come from AbstractConfig) and SASL's. */
	private static final List<String> VERBOSE_LOGGERS = List.of("io.kafkadr", "org.apache.kafka.clients",
			"org.apache.kafka.common.config", "org.apache.kafka.common.security");

	@TempDir
	static Path certificates;

	@TempDir
	static Path storage;

	private static SandboxTls tls;

	private static KafkaSandbox kafka;

	private static RegistrySandbox registry;

	private static BasicAuthProxy registryGateway;

	@BeforeAll
	static void start() throws IOException {
		CompletableFuture<RegistrySandbox> registryStart = CompletableFuture.supplyAsync(RegistrySandbox::start);
		tls = SelfSignedTls.create(certificates, TRUST_STORE_PASSWORD);
		kafka = KafkaSandbox.startSecured(tls);
		registry = registryStart.join();
		registryGateway = BasicAuthProxy.start(registry.url(), "kafka-dr", REGISTRY_PASSWORD, tls);
		kafka.addScramUser("kafka-dr", SASL_PASSWORD);
		new CdcCorpus(kafka.bootstrapServers(), new RegistryClient(RegistryProperties.forUrl(registry.url()))).seed();
	}

	@AfterAll
	static void stop() {
		LoggingSystem logging = LoggingSystem.get(NoSecretsInOutputTest.class.getClassLoader());
		// Levels set by a command's properties outlive its context; the next test classes get logback-test.xml's.
		VERBOSE_LOGGERS.forEach((logger) -> logging.setLogLevel(logger, null));
		logging.setLogLevel("io.kafkadr", LogLevel.INFO);
		registryGateway.close();
		registry.close();
		kafka.close();
	}

	@Test
	void noSecretIsPrintedLoggedOrStored() throws Exception {
		List<String> written = new ArrayList<>();

		CommandRun backup = run(written, properties(SASL_PASSWORD), "backup", "--backup-id", "nightly");
		assertThat(backup.exitCode()).as(backup.toString()).isZero();
		CommandRun restore = run(written, properties(SASL_PASSWORD), "restore", "--backup-id", "nightly", "--rename",
				CdcCorpus.USERS + "=drill-users", "--rename", CdcCorpus.CONNECT_OFFSETS + "=drill-connect-offsets");
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		assertThat(restore.out()).contains("Validation PASSED");

		CommandRun refused = run(written, properties(WRONG_SASL_PASSWORD), "backup", "--backup-id", "refused");
		assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
		assertThat(refused.err()).contains("refused kafka-dr's credentials");

		List<String> untrusting = new ArrayList<>(properties(SASL_PASSWORD));
		untrusting.removeIf((property) -> property.startsWith("--kafka-dr.registry.trust-store"));
		CommandRun untrusted = run(written, untrusting, "backup", "--backup-id", "untrusted");
		assertThat(untrusted.exitCode()).as(untrusted.toString()).isEqualTo(2);
		assertThat(untrusted.err()).contains("failed the TLS handshake", "Set kafka-dr.registry.trust-store");

		List<String> malformed = new ArrayList<>(properties(SASL_PASSWORD));
		malformed.replaceAll((property) -> property.startsWith("--spring.kafka.properties.sasl.jaas.config=")
				? property.substring(0, property.length() - 1) : property);
		CommandRun unparsable = run(written, malformed, "backup", "--backup-id", "malformed");
		assertThat(unparsable.exitCode()).as(unparsable.toString()).isEqualTo(2);
		assertThat(unparsable.err()).contains("cannot create a Kafka client", "not terminated by semi-colon",
				"spring.kafka.properties.sasl.jaas.config");

		// The registry's gateway lets the backup's first look through, then fails it: the job fails in its first step.
		registryGateway.failAfter(1, 503);
		CommandRun failed = run(written, properties(SASL_PASSWORD), "backup", "--backup-id", "failed");
		registryGateway.reset();
		assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);

		CommandRun history = run(written, properties(SASL_PASSWORD), "history");
		assertThat(history.out()).contains("backup nightly", "restore of backup nightly", "backup failed", "FAILED");
		CommandRun historyJson = run(written, properties(SASL_PASSWORD), "history", "--json");
		for (String id : executionIds(historyJson.out())) {
			CommandRun show = run(written, properties(SASL_PASSWORD), "history", "show", id, "--json");
			assertThat(show.exitCode()).as(show.toString()).isZero();
		}

		String everything = String.join("\n", written);
		assertThat(everything).as("the logs show the Kafka clients' configuration (so they were captured)")
			.contains("sasl.jaas.config = [hidden]")
			.contains("did not answer GET /config");
		String repository = jobRepository();
		assertThat(repository).contains("did not answer GET /config");
		String files = storageFiles();
		assertThat(files).contains("drill-users");
		assertThat(linesWithASecret(everything)).as("output and logs").isEmpty();
		assertThat(linesWithASecret(repository)).as("job repository").isEmpty();
		assertThat(linesWithASecret(files)).as("storage location").isEmpty();
	}

	/** Only the offending lines, so that a failure shows where a secret leaked rather than every log line. */
	private static List<String> linesWithASecret(String text) {
		return text.lines().filter((line) -> SECRETS.stream().anyMatch(line::contains)).toList();
	}

	/** Runs a command with every log line it causes (in this JVM) captured along with its own output. */
	private static CommandRun run(List<String> written, List<String> properties, String... command) {
		PrintStream standardErr = System.err;
		PrintStream standardOut = System.out;
		ByteArrayOutputStream logs = new ByteArrayOutputStream();
		PrintStream capture = new PrintStream(logs, true, StandardCharsets.UTF_8);
		CommandRun run;
		System.setErr(capture);
		System.setOut(capture);
		try {
			run = CommandRun.of(properties, command);
		}
		finally {
			System.setErr(standardErr);
			System.setOut(standardOut);
		}
		written.add(run.out());
		written.add(run.err());
		written.add(logs.toString(StandardCharsets.UTF_8));
		return run;
	}

	private static List<String> properties(String saslPassword) {
		List<String> properties = new ArrayList<>(List.of(
				"--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(KafkaSandbox.SCRAM_TLS_LISTENER),
				"--spring.kafka.security.protocol=SASL_SSL",
				"--spring.kafka.properties.sasl.mechanism=" + KafkaSandbox.SCRAM_MECHANISM,
				"--spring.kafka.properties.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
						+ " username=\"kafka-dr\" password=\"" + saslPassword + "\";",
				"--spring.kafka.ssl.trust-store-location=file:" + tls.trustStore(),
				"--spring.kafka.ssl.trust-store-password=" + TRUST_STORE_PASSWORD,
				"--spring.kafka.ssl.trust-store-type=PKCS12", "--kafka-dr.registry.url=" + registryGateway.url(),
				"--kafka-dr.registry.basic-auth-user-info=kafka-dr:" + REGISTRY_PASSWORD,
				"--kafka-dr.registry.trust-store=" + tls.trustStore(),
				"--kafka-dr.registry.trust-store-password=" + TRUST_STORE_PASSWORD,
				"--kafka-dr.registry.max-attempts=2", "--kafka-dr.registry.initial-backoff=10ms",
				"--kafka-dr.topics.avro=postgres\\.public\\.users", "--kafka-dr.topics.raw=connect-offsets",
				"--kafka-dr.storage.location=" + storage));
		VERBOSE_LOGGERS.forEach((logger) -> properties.add("--logging.level." + logger + "=DEBUG"));
		return properties;
	}

	private static List<String> executionIds(String historyJson) {
		return Stream.of(historyJson.split("\"executionId\"\\s*:\\s*"))
			.skip(1)
			.map((rest) -> rest.substring(0, rest.indexOf(',')).strip())
			.toList();
	}

	/** Every row of every table of the job repository, as H2's SQL script of the whole database. */
	private static String jobRepository() throws SQLException {
		Path file = storage.resolve(".kafka-dr").resolve("job-repository");
		StringBuilder script = new StringBuilder();
		try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE", "sa", "");
				ResultSet rows = connection.createStatement().executeQuery("SCRIPT")) {
			while (rows.next()) {
				script.append(rows.getString(1)).append('\n');
			}
		}
		return script.toString();
	}

	/** The text of every file in the storage location but the job repository's, segments decompressed. */
	private static String storageFiles() throws IOException {
		StringBuilder text = new StringBuilder();
		try (Stream<Path> files = Files.walk(storage)) {
			for (Path file : files.filter(Files::isRegularFile).filter((f) -> !f.toString().contains("job-repository")).toList()) {
				byte[] bytes = Files.readAllBytes(file);
				if (file.toString().endsWith(".zst")) {
					try (ZstdInputStream in = new ZstdInputStream(Files.newInputStream(file))) {
						bytes = in.readAllBytes();
					}
				}
				text.append(file).append('\n').append(new String(bytes, StandardCharsets.ISO_8859_1)).append('\n');
			}
		}
		return text.toString();
	}

}
