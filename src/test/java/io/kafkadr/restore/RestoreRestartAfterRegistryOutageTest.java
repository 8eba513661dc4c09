package io.kafkadr.restore;

import java.nio.file.Path;
import java.util.List;

import io.kafkadr.testing.CommandRun;
import io.kafkadr.testing.Sandboxes;
import io.kafkadr.testing.SourceAndTarget;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The target registry goes away: before a restore starts (refused, nothing written), and during
 * {@code waitForRegistry}, after the {@code schemas} step registered everything. It comes back
 * empty (an in-memory registry loses its schemas), and the same restore command then registers
 * them again and completes with every record equal to the source's.
 */
@Tag("integration")
class RestoreRestartAfterRegistryOutageTest {

	private static final String BACKUP = "nightly";

	private static final List<String> TOPICS = List.of("cdc.orders", "connect-status");

	private static Sandboxes source;

	private static Sandboxes target;

	private static RegistryGateway gateway;

	@TempDir
	static Path storage;

	@BeforeAll
	static void backUp() {
		SourceAndTarget clusters = SourceAndTarget.start();
		source = clusters.source();
		target = clusters.target();
		gateway = RegistryGateway.start(target.registry().url());
		clusters.backUp(storage, BACKUP, "cdc.orders", 2, 2_000, "connect-status", 1, 1_000);
	}

	@AfterAll
	static void stop() {
		gateway.close();
		source.close();
		target.close();
	}

	/** Fast failures: two attempts per registry request, and a short wait for the registry. */
	private static List<String> properties(String registryUrl) {
		return target.properties(storage, "--kafka-dr.registry.url=" + registryUrl, "--kafka-dr.registry.max-attempts=2",
				"--kafka-dr.registry.initial-backoff=100ms", "--kafka-dr.restore.registry-timeout=3s",
				"--kafka-dr.backup.kafka-timeout=5s", "--kafka-dr.restore.chunk-size=200");
	}

	@Test
	void refusedWithoutWritingAnythingWhileTheRegistryIsDown() throws Exception {
		List<String> properties = properties(target.registry().url());
		int executions = RestoreAssertions.restoreExecutions(properties).size();
		target.registry().stop();
		try {
			CommandRun restore = CommandRun.of(properties, "restore", "--backup-id", BACKUP, "--rename",
					"cdc.orders=refused.orders", "--rename", "connect-status=refused.status");
			assertThat(restore.exitCode()).as(restore.toString()).isEqualTo(3);
			assertThat(restore.err()).contains("The schema registry at " + target.registry().url() + " did not answer");
		}
		finally {
			target.registry().restart();
		}
		try (Admin admin = RestoreAssertions.admin(target)) {
			assertThat(admin.listTopics().names().get()).doesNotContain("refused.orders", "refused.status");
		}
		assertThat(RestoreAssertions.restoreExecutions(properties)).as("no restore job was started").hasSize(executions);
	}

	@Test
	void registersTheSchemasAgainWhenTheRegistryCameBackEmpty() throws Exception {
		List<String> properties = properties(gateway.url());
		// waitForRegistry's first look-up of a schema by id: the registry dies just before it
		gateway.onFirstRequest("/schemas/ids/", target.registry()::stop);
		CommandRun failed = CommandRun.of(properties, "restore", "--backup-id", BACKUP);
		assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
		assertThat(failed.out()).contains("schemas of the backup still do not resolve in the registry at " + gateway.url());
		JsonNode first = RestoreAssertions.restoreExecutions(properties).getLast();
		assertThat(first.path("status").asString()).isEqualTo("FAILED");
		assertThat(RestoreAssertions.stepStatus(first, "schemas")).isEqualTo("COMPLETED");
		assertThat(RestoreAssertions.stepStatus(first, "waitForRegistry")).isEqualTo("FAILED");
		assertThat(RestoreAssertions.stepStatus(first, "internalTopics")).isNull();
		try (Admin admin = RestoreAssertions.admin(target)) {
			assertThat(admin.listTopics().names().get()).doesNotContainAnyElementsOf(TOPICS);
		}

		target.registry().restart();
		assertThat(target.registryClient().subjects(true)).as("the registry came back empty").isEmpty();
		CommandRun resumed = CommandRun.of(properties, "restore", "--backup-id", BACKUP);
		assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
		assertThat(resumed.out()).contains("Validation PASSED");

		RestoreAssertions.assertTargetEqualsSource(source, target, storage, BACKUP);
		assertThat(target.registryClient().subjects(false)).containsExactlyElementsOf(source.registryClient().subjects(false));
		List<JsonNode> executions = RestoreAssertions.restoreExecutions(properties);
		JsonNode last = executions.getLast();
		assertThat(last.path("status").asString()).isEqualTo("COMPLETED");
		assertThat(last.path("instanceId").asLong()).isEqualTo(first.path("instanceId").asLong());
		assertThat(RestoreAssertions.stepStatus(last, "waitForRegistry")).isEqualTo("COMPLETED");
	}

}
