package io.kafkadr.metrics;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.sandbox.KafkaSandbox;
import io.kafkadr.testing.BulkData;
import io.kafkadr.testing.ChildProcess;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backup and a restore, each in a real process configured with a real Pushgateway, leave their
 * metrics there when the process has ended: kafka-dr's records and bytes per topic, and Spring
 * Batch's own.
 */
@Tag("integration")
class PushgatewayExportTest {

	private static final String TOPIC = "bulk-metrics";

	private static final String RESTORED = "bulk-metrics-restored";

	private static final int PARTITIONS = 3;

	private static PushgatewayProcess pushgateway;

	private static KafkaSandbox kafka;

	@TempDir
	Path storage;

	@BeforeAll
	static void start() {
		pushgateway = PushgatewayProcess.start();
		kafka = KafkaSandbox.shared();
		BulkData.raw(kafka.bootstrapServers(), TOPIC, PARTITIONS, 1500);
	}

	@AfterAll
	static void stop() throws InterruptedException {
		if (pushgateway != null) {
			pushgateway.close();
		}
	}

	@Test
	void theLastPushAsTheProcessEndsCarriesTheBackupsAndTheRestoresMetrics() {
		// the default push rate (a minute) is far longer than these runs: only the push at the end can bring them
		run("kafka-dr-test-backup", "backup", "--backup-id", "pushed", "--kafka-dr.topics.raw=" + TOPIC);
		Manifest manifest = new BackupStorage(this.storage).backup("pushed").manifest();
		long records = manifest.totals().records();
		assertThat(records).isEqualTo(PARTITIONS * 1500);
		ChildProcess restore = run("kafka-dr-test-restore", "restore", "--backup-id", "pushed", "--rename",
				TOPIC + "=" + RESTORED);
		// its summary, on standard error with the other logs, counts the restored records of the target topic
		assertThat(restore.output()).containsPattern("restore COMPLETED in \\S+: 4,500 records, .+ in 3 partitions of 1 topic;")
			.contains("restore " + RESTORED + ": 4,500 records, ");

		String metrics = Awaitility.await("the backup's and the restore's metrics in the Pushgateway")
			.atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(pushgateway::metrics, (text) -> value(text, "kafka_dr_records_total", "backup", TOPIC).isPresent()
					&& value(text, "kafka_dr_records_total", "restore", RESTORED).isPresent());
		long bytes = BulkData.rawBytes(PARTITIONS, 1500);
		assertThat(value(metrics, "kafka_dr_records_total", "backup", TOPIC)).as(metrics).hasValue(records);
		assertThat(value(metrics, "kafka_dr_bytes_total", "backup", TOPIC)).as(metrics).hasValue(bytes);
		assertThat(value(metrics, "kafka_dr_records_total", "restore", RESTORED)).as(metrics).hasValue(records);
		assertThat(value(metrics, "kafka_dr_bytes_total", "restore", RESTORED)).as(metrics).hasValue(bytes);
		assertThat(metrics.lines()).as(metrics)
			.anyMatch((line) -> line.startsWith("spring_batch_job_seconds_count{") && line.contains("job=\"kafka-dr-test-backup\"")
					&& line.contains("spring_batch_job_name=\"backupJob\"") && line.contains("spring_batch_job_status=\"COMPLETED\"")
					&& line.endsWith(" 1"))
			.anyMatch((line) -> line.startsWith("spring_batch_step_seconds_count{") && line.contains("job=\"kafka-dr-test-backup\"")
					&& line.contains("spring_batch_step_name=\"internalTopics\""))
			.anyMatch((line) -> line.startsWith("spring_batch_chunk_write_seconds_count{")
					&& line.contains("job=\"kafka-dr-test-backup\"")
					&& line.contains("spring_batch_chunk_write_step_name=\"internalTopicsPartition:" + TOPIC + "-0\""))
			.anyMatch((line) -> line.startsWith("spring_batch_job_seconds_count{") && line.contains("job=\"kafka-dr-test-restore\"")
					&& line.contains("spring_batch_job_name=\"restoreJob\"") && line.contains("spring_batch_job_status=\"COMPLETED\""))
			// per-item timers are switched off (application.yaml): they cost a quarter of a backup's CPU
			.noneMatch((line) -> line.startsWith("spring_batch_item_"));
	}

	@Test
	void aPushgatewayThatCannotBeReachedCostsAWarningNotTheBackup() throws IOException {
		String nobody;
		try (ServerSocket socket = new ServerSocket(0)) {
			nobody = "127.0.0.1:" + socket.getLocalPort();
		}
		ChildProcess backup = runPushingTo(nobody, "kafka-dr-test-unreachable", "backup", "--backup-id", "unpushed",
				"--kafka-dr.topics.raw=" + TOPIC);
		assertThat(backup.output()).contains("backup-id: unpushed", "COMPLETED")
			.contains("Could not push the metrics to http://" + nobody + "/metrics/job@base64/");
	}

	/** Runs a command in its own process, pushing to the Pushgateway under {@code job}, to its successful end. */
	private ChildProcess run(String job, String... command) {
		return runPushingTo(pushgateway.address(), job, command);
	}

	private ChildProcess runPushingTo(String address, String job, String... command) {
		List<String> args = new ArrayList<>(List.of(command));
		args.addAll(List.of("--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
				"--kafka-dr.storage.location=" + this.storage,
				"--management.prometheus.metrics.export.pushgateway.enabled=true",
				"--management.prometheus.metrics.export.pushgateway.address=" + address,
				"--management.prometheus.metrics.export.pushgateway.job=" + job));
		ChildProcess process = ChildProcess.start(args);
		assertThat(process.waitFor(Duration.ofMinutes(3))).as(process.output()).isZero();
		return process;
	}

	/** The value of kafka-dr's metric for an operation on a topic, pushed under the test's job names. */
	private static OptionalDouble value(String metrics, String name, String operation, String topic) {
		Pattern series = Pattern.compile("^" + name + "\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
		Matcher matcher = series.matcher(metrics);
		while (matcher.find()) {
			String labels = matcher.group(1);
			if (labels.contains("job=\"kafka-dr-test-" + operation + "\"")
					&& labels.contains("operation=\"" + operation + "\"") && labels.contains("topic=\"" + topic + "\"")) {
				return OptionalDouble.of(Double.parseDouble(matcher.group(2)));
			}
		}
		return OptionalDouble.empty();
	}

}
