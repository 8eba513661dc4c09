package io.kafkadr.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.kafkadr.archive.BackupStorage;
import io.kafkadr.sandbox.KafkaSandbox;
import io.kafkadr.sandbox.RegistrySandbox;
import io.kafkadr.sandbox.SandboxTls;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryProperties;
import io.kafkadr.testing.CdcCorpus;
import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.SelfSignedTls;
import io.kafkadr.testing.SourceRecords;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backup and restore against a broker that accepts only SCRAM-SHA-512 clients, over TLS and over
 * plain TCP, configured through Spring Boot's {@code spring.kafka.*} properties alone. The broker's
 * secured listeners hand out only secured addresses, so any client kafka-dr built without the
 * security settings (admin, consumers, producers, group offsets, validation) would fail the run.
 */
@Tag("integration")
class SaslScramBackupRestoreTest {

	private static final String USER = "kafka-dr";

	private static final String PASSWORD = "scram-Pa55word";

	private static KafkaSandbox kafka;

	private static RegistrySandbox registry;

	private static SandboxTls tls;

	@TempDir
	static Path certificates;

	@TempDir
	Path storage;

	@BeforeAll
	static void start() {
		CompletableFuture<RegistrySandbox> registryStart = CompletableFuture.supplyAsync(RegistrySandbox::start);
		tls = SelfSignedTls.create(certificates, "tls-store-pw");
		kafka = KafkaSandbox.startSecured(tls);
		registry = registryStart.join();
		kafka.addScramUser(USER, PASSWORD);
		// Seeded over the plaintext listener: what is under test is kafka-dr's side of the secured ones.
		new CdcCorpus(kafka.bootstrapServers(), new RegistryClient(RegistryProperties.forUrl(registry.url()))).seed();
	}

	@AfterAll
	static void stop() {
		registry.close();
		kafka.close();
	}

	@Test
	void backsUpAndRestoresOverSaslSsl() throws Exception {
		List<String> properties = overTls(PASSWORD);
		CommandRun backup = CommandRun.of(with(properties, "--kafka-dr.topics.avro=postgres\\.public\\.users",
				"--kafka-dr.topics.raw=connect-offsets"), "backup", "--backup-id", "tls");
		assertThat(backup.exitCode()).as(backup.toString()).isZero();
		assertThat(backup.out()).contains("backup-id: tls", "COMPLETED");

		CommandRun restore = CommandRun.of(properties, "restore", "--backup-id", "tls", "--rename",
				CdcCorpus.USERS + "=drill-users", "--rename", CdcCorpus.CONNECT_OFFSETS + "=drill-connect-offsets");
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		assertThat(restore.out()).contains("Validation PASSED", "drill-users", "COMPLETED");

		for (int partition = 0; partition < 3; partition++) {
			assertThat(SourceRecords.read(kafka.bootstrapServers(), new TopicPartition("drill-users", partition)))
				.as("drill-users-" + partition)
				.hasSameSizeAs(SourceRecords.read(kafka.bootstrapServers(), new TopicPartition(CdcCorpus.USERS, partition)));
		}
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
			Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(CdcCorpus.GROUP)
				.partitionsToOffsetAndMetadata()
				.get();
			assertThat(committed.get(new TopicPartition("drill-users", 0)).offset()).isEqualTo(7);
			assertThat(committed.get(new TopicPartition("drill-users", 1)).offset()).isEqualTo(3);
		}
	}

	@Test
	void backsUpOverSaslPlaintext() {
		CommandRun backup = CommandRun.of(with(overPlainTcp(PASSWORD), "--kafka-dr.topics.raw=connect-offsets|audit-log"),
				"backup", "--backup-id", "scram");
		assertThat(backup.exitCode()).as(backup.toString()).isZero();

		CommandRun verify = CommandRun.of(List.of("--kafka-dr.storage.location=" + this.storage), "verify", "--backup-id",
				"scram");
		assertThat(verify.exitCode()).as(verify.toString()).isZero();
		assertThat(verify.out()).contains("is intact");
	}

	@Test
	void aWrongPasswordIsRefusedNamingTheAuthenticationProblemAndWritesNothing() throws Exception {
		CommandRun backup = CommandRun.of(with(overTls("not-the-password"), "--kafka-dr.topics.raw=connect-offsets"),
				"backup", "--backup-id", "refused");
		assertThat(backup.exitCode()).as(backup.toString()).isEqualTo(2);
		assertThat(backup.err()).contains("refused kafka-dr's credentials", "SCRAM-SHA-512",
				"spring.kafka.properties.sasl.jaas.config")
			.doesNotContain("not-the-password");
		assertThat(new BackupStorage(this.storage).backup("refused").exists()).isFalse();
		CommandRun history = CommandRun.of(List.of("--kafka-dr.storage.location=" + this.storage), "history");
		assertThat(history.out()).as("no job was started").doesNotContain("refused");

		CommandRun sealed = CommandRun.of(with(overTls(PASSWORD), "--kafka-dr.topics.raw=audit-log"), "backup",
				"--backup-id", "sealed");
		assertThat(sealed.exitCode()).as(sealed.toString()).isZero();
		CommandRun restore = CommandRun.of(overPlainTcp("not-the-password"), "restore", "--backup-id", "sealed",
				"--rename", CdcCorpus.AUDIT + "=refused-audit");
		assertThat(restore.exitCode()).as(restore.toString()).isEqualTo(2);
		assertThat(restore.err()).contains("refused kafka-dr's credentials", "SCRAM-SHA-512")
			.doesNotContain("not-the-password");
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
			assertThat(admin.listTopics().names().get()).doesNotContain("refused-audit");
		}
		assertThat(Files.exists(this.storage.resolve("sealed").resolve("restores"))).isFalse();
	}

	@Test
	void anUntrustedBrokerCertificateIsRefusedNamingTheTrustStore() {
		List<String> properties = new ArrayList<>(overTls(PASSWORD));
		properties.removeIf((property) -> property.startsWith("--spring.kafka.ssl."));
		CommandRun backup = CommandRun.of(with(properties, "--kafka-dr.topics.raw=connect-offsets"), "backup",
				"--backup-id", "untrusted");
		assertThat(backup.exitCode()).as(backup.toString()).isEqualTo(2);
		assertThat(backup.err()).contains("TLS handshake", "spring.kafka.ssl.trust-store-location");
	}

	/** SCRAM over TLS, trusting the broker's self-signed certificate. */
	private List<String> overTls(String password) {
		List<String> properties = new ArrayList<>(common(KafkaSandbox.SCRAM_TLS_LISTENER, "SASL_SSL", password));
		properties.add("--spring.kafka.ssl.trust-store-location=file:" + tls.trustStore());
		properties.add("--spring.kafka.ssl.trust-store-password=" + tls.password());
		properties.add("--spring.kafka.ssl.trust-store-type=" + SandboxTls.TYPE);
		return properties;
	}

	private List<String> overPlainTcp(String password) {
		return common(KafkaSandbox.SCRAM_LISTENER, "SASL_PLAINTEXT", password);
	}

	private List<String> common(String listener, String protocol, String password) {
		return List.of("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(listener),
				"--spring.kafka.security.protocol=" + protocol,
				"--spring.kafka.properties.sasl.mechanism=" + KafkaSandbox.SCRAM_MECHANISM,
				"--spring.kafka.properties.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
						+ " username=\"" + USER + "\" password=\"" + password + "\";",
				"--kafka-dr.registry.url=" + registry.url(), "--kafka-dr.storage.location=" + this.storage);
	}

	private static List<String> with(List<String> properties, String... more) {
		List<String> all = new ArrayList<>(properties);
		all.addAll(List.of(more));
		return all;
	}

}
