package io.kafkadr.progress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kafkadr.sandbox.KafkaSandbox;
import io.kafkadr.testing.BulkData;
import io.kafkadr.testing.ChildProcess;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backup killed (SIGKILL) while its second partition is half done, and resumed: the resumed run's
 * progress continues from the counts of the last commit, and its summary counts every record and
 * byte of the backup once, the partition the killed run completed included.
 */
class ProgressAcrossRestartTest {

	private static final String TOPIC = "bulk-restart";

	private static final int PER_PARTITION = 20_000;

	private static final Pattern PROGRESS = Pattern
		.compile("ProgressReporter +backup " + TOPIC + "-(\\d): ([\\d,]+) records of at most ");

	private static KafkaSandbox kafka;

	@TempDir
	Path storage;

	@BeforeAll
	static void seed() {
		kafka = KafkaSandbox.start();
		BulkData.raw(kafka.bootstrapServers(), TOPIC, 2, PER_PARTITION);
	}

	@AfterAll
	static void stop() {
		kafka.close();
	}

	@Test
	void aResumedBackupCountsEveryRecordOnce() {
		ChildProcess killed = ChildProcess.startAsShipped(args());
		// one partition at a time: a second partition in the progress lines means the first is complete
		Awaitility.await("the second partition half done")
			.atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> secondPartitionRecords(killed.errors()) >= 2_000);
		killed.kill();
		Map<String, Long> progressAtKill = lastProgress(killed.errors());
		assertThat(progressAtKill).hasSize(2);

		ChildProcess resumed = ChildProcess.startAsShipped(args());
		assertThat(resumed.waitFor(Duration.ofMinutes(3))).as("%s%n%s", resumed.output(), resumed.errors()).isZero();
		String log = resumed.errors();
		Map<String, Long> firstProgress = firstProgress(log);
		assertThat(firstProgress).as(log).hasSize(1);
		String half = firstProgress.keySet().iterator().next();
		assertThat(progressAtKill).containsKey(half);
		// the resumed partition starts from its last commit: a line may show a chunk written but not yet committed
		long atKill = progressAtKill.get(half);
		assertThat(firstProgress.get(half)).as(log).isGreaterThanOrEqualTo(atKill - 100);
		Matcher summary = Pattern.compile("backup COMPLETED in \\S+: ([\\d,]+) records, (.+) in 2 partitions of 1 topic;"
				+ " this run moved ([\\d,]+) records").matcher(log);
		assertThat(summary.find()).as(log).isTrue();
		assertThat(number(summary.group(1))).isEqualTo(2 * PER_PARTITION);
		assertThat(summary.group(2)).isEqualTo(String.format("%.1f MiB", BulkData.rawBytes(2, PER_PARTITION) / 1024.0 / 1024.0));
		// this run moved what the half-done partition lacked at its last commit, never a record more
		assertThat(number(summary.group(3))).isBetween(PER_PARTITION - firstProgress.get(half),
				PER_PARTITION - (atKill - 100));
		assertThat(log).contains("backup " + TOPIC + ": 40,000 records, " + summary.group(2) + " in 2 partitions");
	}

	private List<String> args() {
		return new ArrayList<>(List.of("backup", "--backup-id", "killed",
				"--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
				"--kafka-dr.storage.location=" + this.storage, "--kafka-dr.topics.raw=" + TOPIC,
				"--kafka-dr.backup.parallelism=1", "--kafka-dr.backup.chunk-size=100",
				"--kafka-dr.progress.interval=50ms"));
	}

	/** The records the second partition to show up in the progress lines has, or 0. */
	private static long secondPartitionRecords(String log) {
		Map<String, Long> last = lastProgress(log);
		return (last.size() < 2) ? 0 : last.values().stream().skip(1).findFirst().orElse(0L);
	}

	/** Each partition's records in its last progress line, in the order the partitions appear. */
	private static Map<String, Long> lastProgress(String log) {
		Map<String, Long> last = new LinkedHashMap<>();
		Matcher matcher = PROGRESS.matcher(log);
		while (matcher.find()) {
			last.put(matcher.group(1), number(matcher.group(2)));
		}
		return last;
	}

	/** Each partition's records in its first progress line. */
	private static Map<String, Long> firstProgress(String log) {
		Map<String, Long> first = new LinkedHashMap<>();
		Matcher matcher = PROGRESS.matcher(log);
		while (matcher.find()) {
			first.putIfAbsent(matcher.group(1), number(matcher.group(2)));
		}
		return first;
	}

	private static long number(String digits) {
		return Long.parseLong(digits.replace(",", ""));
	}

}
