package io.kafkadr.security;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryProperties;
import io.kafkadr.sandbox.KafkaSandbox;
import io.kafkadr.sandbox.RegistrySandbox;
import io.kafkadr.testing.CdcCorpus;
import io.kafkadr.testing.CommandRun;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ACLs the README lists for kafka-dr's Kafka user are enough for a backup and a restore on a
 * broker that authorizes every request; a user without them sees no topic, and is told why that may be.
 */
@Tag("integration")
class KafkaUserAclsTest {

	private static final String PASSWORD = "acl-user-pw";

	private static KafkaSandbox kafka;

	private static RegistrySandbox registry;

	@TempDir
	static Path storage;

	@BeforeAll
	static void start() throws Exception {
		CompletableFuture<RegistrySandbox> registryStart = CompletableFuture.supplyAsync(RegistrySandbox::start);
		kafka = KafkaSandbox.startSecured(null, true);
		registry = registryStart.join();
		kafka.addScramUser("kafka-dr", PASSWORD);
		kafka.addScramUser("no-acls", PASSWORD);
		new CdcCorpus(kafka.bootstrapServers(), new RegistryClient(RegistryProperties.forUrl(registry.url()))).seed();
		List<AclBinding> acls = new ArrayList<>();
		allow(acls, ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.DESCRIBE);
		for (String topic : List.of(CdcCorpus.USERS, CdcCorpus.CONNECT_OFFSETS)) {
			allow(acls, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE,
					AclOperation.DESCRIBE_CONFIGS, AclOperation.READ);
		}
		allow(acls, ResourceType.TOPIC, "drill-", PatternType.PREFIXED, AclOperation.CREATE, AclOperation.WRITE,
				AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
		allow(acls, ResourceType.GROUP, CdcCorpus.GROUP, PatternType.LITERAL, AclOperation.DESCRIBE, AclOperation.READ);
		try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
			admin.createAcls(acls).all().get();
		}
	}

	@AfterAll
	static void stop() {
		registry.close();
		kafka.close();
	}

	@Test
	void theListedAclsAreEnoughForBackupAndRestore() {
		CommandRun backup = CommandRun.of(properties("kafka-dr"), "backup", "--backup-id", "acls");
		assertThat(backup.exitCode()).as(backup.toString()).isZero();

		CommandRun restore = CommandRun.of(properties("kafka-dr"), "restore", "--backup-id", "acls", "--rename",
				CdcCorpus.USERS + "=drill-users", "--rename", CdcCorpus.CONNECT_OFFSETS + "=drill-connect-offsets");
		assertThat(restore.exitCode()).as(restore.toString()).isZero();
		assertThat(restore.out()).contains("Validation PASSED");
	}

	@Test
	void aUserWithoutAclsIsToldWhyItSeesNoTopic() {
		CommandRun backup = CommandRun.of(properties("no-acls"), "backup", "--backup-id", "denied");

		assertThat(backup.exitCode()).as(backup.toString()).isEqualTo(2);
		assertThat(backup.err()).contains("No topic on", "sees only the topics it may Describe");
	}

	private static List<String> properties(String user) {
		return List.of("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(KafkaSandbox.SCRAM_LISTENER),
				"--spring.kafka.security.protocol=SASL_PLAINTEXT",
				"--spring.kafka.properties.sasl.mechanism=" + KafkaSandbox.SCRAM_MECHANISM,
				"--spring.kafka.properties.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
						+ " username=\"" + user + "\" password=\"" + PASSWORD + "\";",
				"--kafka-dr.registry.url=" + registry.url(), "--kafka-dr.storage.location=" + storage,
				"--kafka-dr.topics.avro=postgres\\.public\\.users", "--kafka-dr.topics.raw=connect-offsets");
	}

	private static void allow(List<AclBinding> acls, ResourceType type, String name, PatternType pattern,
			AclOperation... operations) {
		for (AclOperation operation : operations) {
			acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
					new AccessControlEntry("User:kafka-dr", "*", operation, AclPermissionType.ALLOW)));
		}
	}

}
