package io.kafkadr.logging;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.kafkadr.sandbox.KafkaSandbox;
import io.kafkadr.testing.BulkData;
import io.kafkadr.testing.ChildProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * kafka-dr's log as it ships ({@code logback.xml}, in a real process): on standard error, in the
 * human pattern by default and one JSON object per line with {@code logging.structured.format.console},
 * with a progress line per topic-partition at each interval and the summary at the end among them;
 * standard output keeps the command's result.
 */
class JsonLogsTest {

	private static final String TOPIC = "bulk-logs";

	private static final String PROGRESS = "backup " + TOPIC + "-\\d: [\\d,]+ records of at most [\\d,]+ \\(\\d+%\\), "
			+ ".+, [\\d,]+ records/s, ETA .+";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static KafkaSandbox kafka;

	@TempDir
	Path storage;

	@BeforeAll
	static void seed() {
		kafka = KafkaSandbox.start();
		BulkData.raw(kafka.bootstrapServers(), TOPIC, 2, 20_000);
	}

	@AfterAll
	static void stop() {
		kafka.close();
	}

	@Test
	void everyLogLineIsAJsonObjectWhenAsked() {
		ChildProcess backup = backup("json", "--logging.structured.format.console=ecs");
		assertThat(backup.output()).contains("backup-id: json", "COMPLETED").doesNotContain("{\"");
		List<JsonNode> lines = new ArrayList<>();
		for (String line : backup.errors().lines().filter((line) -> !line.isBlank()).toList()) {
			try {
				lines.add(JSON.readTree(line));
			}
			catch (JacksonException ex) {
				fail("A line on standard error is not JSON: %s%n%s", line, backup.errors());
			}
		}
		assertThat(lines).isNotEmpty().allSatisfy((line) -> {
			assertThat(line.path("log").path("level").asString()).as("log.level of %s", line).isNotEmpty();
			assertThat(line.path("log").path("logger").asString()).as("log.logger of %s", line).isNotEmpty();
			assertThat(line.path("message").asString()).as("message of %s", line).isNotEmpty();
		});
		List<String> progress = lines.stream()
			.filter((line) -> line.path("log").path("logger").asString().equals("io.kafkadr.progress.ProgressReporter"))
			.map((line) -> line.path("message").asString())
			.toList();
		assertThat(progress).as(backup.errors()).anyMatch((message) -> message.matches(PROGRESS));
		assertThat(progress).anyMatch((message) -> message.startsWith("backup COMPLETED in ")
				&& message.contains(": 40,000 records, "));
		assertThat(progress).contains("backup " + TOPIC + ": 40,000 records, " + bytes() + " in 2 partitions");
	}

	@Test
	void logLinesAreHumanByDefault() {
		ChildProcess backup = backup("human");
		assertThat(backup.output()).contains("backup-id: human", "COMPLETED");
		List<String> lines = backup.errors().lines().filter((line) -> !line.isBlank()).toList();
		assertThat(lines).isNotEmpty()
			.allMatch((line) -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO |WARN |ERROR) .+"), "a log line")
			.anyMatch((line) -> line.matches(".{13}INFO  ProgressReporter +" + PROGRESS))
			.anyMatch((line) -> line.endsWith("ProgressReporter             backup " + TOPIC + ": 40,000 records, "
					+ bytes() + " in 2 partitions"));
	}

	/** The keys and values of the topic's 40,000 records, as the summary shows them. */
	private static String bytes() {
		return String.format("%.1f MiB", BulkData.rawBytes(2, 20_000) / 1024.0 / 1024.0);
	}

	/** A backup of the topic in small chunks, with progress lines every 100 ms, run to its end. */
	private ChildProcess backup(String backupId, String... more) {
		List<String> args = new ArrayList<>(List.of("backup", "--backup-id", backupId,
				"--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
				"--kafka-dr.storage.location=" + this.storage, "--kafka-dr.topics.raw=" + TOPIC,
				"--kafka-dr.backup.chunk-size=100", "--kafka-dr.progress.interval=100ms"));
		args.addAll(List.of(more));
		ChildProcess backup = ChildProcess.startAsShipped(args);
		int exit = backup.waitFor(Duration.ofMinutes(3));
		assertThat(exit).as("%s%n--- standard error ---%n%s", backup.output(), backup.errors()).isZero();
		return backup;
	}

}
