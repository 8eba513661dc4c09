package io.kafkadr.progress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kafkadr.sandbox.KafkaSandbox;
import io.kafkadr.testing.BulkData;
import io.kafkadr.testing.ChildProcess;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * kafka-dr's log as it ships ({@code logback.xml}, in a real process) while it backs up a topic in
 * small chunks: on standard error, human lines by default and one JSON object per line with
 * {@code logging.structured.format.console}, a progress line per topic-partition at each interval
 * and a summary at the end among them; standard output keeps the command's result. A backup killed
 * half way and resumed continues its progress from its last commit and counts every record once.
 */
@Tag("integration")
class ProgressLogTest {

	private static final String TOPIC = "bulk-logs";

	private static final int PER_PARTITION = 20_000;

	private static final String LINE = "backup " + TOPIC + "-(\\d): ([\\d,]+) records of at most [\\d,]+ \\(\\d+%\\), "
			+ ".+, [\\d,]+ records/s, ETA .+";

	private static final Pattern PROGRESS = Pattern.compile("ProgressReporter +" + LINE);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static KafkaSandbox kafka;

	@TempDir
	Path storage;

	@BeforeAll
	static void seed() {
		kafka = KafkaSandbox.shared();
		BulkData.raw(kafka.bootstrapServers(), TOPIC, 2, PER_PARTITION);
	}

	@Test
	void everyLogLineIsAJsonObjectWhenAsked() {
		ChildProcess backup = completed(ChildProcess.startAsShipped(args("json", "--logging.structured.format.console=ecs")));
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
			.filter((line) -> line.path("log").path("logger").asString().equals(ProgressReporter.class.getName()))
			.map((line) -> line.path("message").asString())
			.toList();
		assertThat(progress).as(backup.errors()).anyMatch((message) -> message.matches(LINE));
		assertThat(progress).anyMatch((message) -> message.startsWith("backup COMPLETED in ")
				&& message.contains(": 40,000 records, " + bytes() + " in 2 partitions of 1 topic;"));
		assertThat(progress).contains("backup " + TOPIC + ": 40,000 records, " + bytes() + " in 2 partitions");
	}

	@Test
	void logLinesAreHumanByDefault() {
		ChildProcess backup = completed(ChildProcess.startAsShipped(args("human")));
		assertThat(backup.output()).contains("backup-id: human", "COMPLETED");
		List<String> lines = backup.errors().lines().filter((line) -> !line.isBlank()).toList();
		assertThat(lines).isNotEmpty()
			.allMatch((line) -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO |WARN |ERROR) .+"), "a log line")
			.anyMatch((line) -> line.matches(".{13}INFO  ProgressReporter +" + LINE))
			.anyMatch((line) -> line.endsWith("ProgressReporter             backup " + TOPIC + ": 40,000 records, "
					+ bytes() + " in 2 partitions"));
	}

	@Test
	void aBackupKilledHalfWayAndResumedCountsEveryRecordOnce() {
		List<String> args = args("killed", "--kafka-dr.backup.parallelism=1");
		ChildProcess killed = ChildProcess.startAsShipped(args);
		// one partition at a time: a second partition in the progress lines means the first is complete
		Awaitility.await("the second partition under way")
			.atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> secondPartitionUnderWay(killed));
		killed.kill();
		Map<String, Long> atKill = progress(killed.errors(), last());
		assertThat(atKill).hasSize(2);

		ChildProcess resumed = completed(ChildProcess.startAsShipped(args));
		String log = resumed.errors();
		Map<String, Long> firstLines = progress(log, (first, later) -> first);
		assertThat(firstLines).as(log).hasSize(1);
		String half = firstLines.keySet().iterator().next();
		long committed = atKill.get(half) - 100;
		// it continues from its last commit: the killed run's last line may show a chunk not yet committed
		assertThat(firstLines.get(half)).as(log).isGreaterThanOrEqualTo(committed);
		Matcher summary = Pattern.compile("backup COMPLETED in \\S+: ([\\d,]+) records, (.+) in 2 partitions of 1 topic;"
				+ " this run moved ([\\d,]+) records").matcher(log);
		assertThat(summary.find()).as(log).isTrue();
		assertThat(number(summary.group(1))).isEqualTo(2 * PER_PARTITION);
		assertThat(summary.group(2)).isEqualTo(bytes());
		// what the half-done partition lacked at its last commit, never a record more
		assertThat(number(summary.group(3))).isBetween(PER_PARTITION - firstLines.get(half), PER_PARTITION - committed);
		assertThat(log).contains("backup " + TOPIC + ": 40,000 records, " + bytes() + " in 2 partitions");
	}

	/** A backup of the topic in chunks of 100 records, with progress lines every 50 ms. */
	private List<String> args(String backupId, String... more) {
		List<String> args = new ArrayList<>(List.of("backup", "--backup-id", backupId,
				"--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
				"--kafka-dr.storage.location=" + this.storage, "--kafka-dr.topics.raw=" + TOPIC,
				"--kafka-dr.backup.chunk-size=100", "--kafka-dr.progress.interval=50ms"));
		args.addAll(List.of(more));
		return args;
	}

	private static ChildProcess completed(ChildProcess backup) {
		int exit = backup.waitFor(Duration.ofMinutes(3));
		assertThat(exit).as("%s%n--- standard error ---%n%s", backup.output(), backup.errors()).isZero();
		return backup;
	}

	/** The keys and values of the topic's records, as the summary shows them. */
	private static String bytes() {
		return String.format("%.1f MiB", BulkData.rawBytes(2, PER_PARTITION) / 1024.0 / 1024.0);
	}

	/** Each partition's records in the progress lines, in the order the partitions appear, as {@code keep} picks. */
	private static Map<String, Long> progress(String log, BinaryOperator<Long> keep) {
		Map<String, Long> records = new LinkedHashMap<>();
		Matcher matcher = PROGRESS.matcher(log);
		while (matcher.find()) {
			records.merge(matcher.group(1), number(matcher.group(2)), keep);
		}
		return records;
	}

	private static boolean secondPartitionUnderWay(ChildProcess backup) {
		if (!backup.isAlive()) {
			fail("The backup ended before it could be killed:%n%s%n%s", backup.output(), backup.errors());
		}
		return progress(backup.errors(), last()).values().stream().skip(1).anyMatch((records) -> records >= 2_000);
	}

	private static BinaryOperator<Long> last() {
		return (earlier, later) -> later;
	}

	private static long number(String digits) {
		return Long.parseLong(digits.replace(",", ""));
	}

}
