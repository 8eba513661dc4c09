package io.kafkadr.progress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.kafkadr.sandbox.KafkaSandbox;
import io.kafkadr.testing.BulkData;
import io.kafkadr.testing.ChildProcess;
import io.kafkadr.testing.CommandRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real backup of a real broker, run as it ships inside a pseudo-terminal (util-linux
 * {@code script}): the terminal gets the live display, redrawn in place, with a line per partition
 * (records, rate) and a total line, and the progress log lines whole between its frames; the
 * display is gone before the result prints. A restore shows each partition's records of what the
 * backup holds. With {@code --json}, with {@code kafka-dr.progress.display=off}, or with its output
 * piped (the same {@code TERM} set), a backup prints not one escape code.
 */
@Tag("integration")
class LiveDisplayTerminalTest {

	private static final String TOPIC = "bulk-terminal";

	private static final Pattern ESCAPE = Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]");

	private static final Pattern CURSOR_UP = Pattern.compile("\u001b\\[\\d+A");

	/** The frame erased: up to its first line, each line erased, back up. */
	private static final Pattern ERASED = Pattern.compile("\r\u001b\\[(\\d+)A(\u001b\\[2K\u001b\\[B)+\u001b\\[\\1A");

	/** A partition under way, its rate known: records of at most the offsets, percent, rate, ETA. */
	private static final Pattern PARTITION_LINE = Pattern.compile("  " + TOPIC + "-[01] +[\\d,]+ / (≤|<=)[\\d,]+ +\\d+%"
			+ " +[\\d.]+ (B|KiB|MiB|GiB)/s +(\\d+s|\\d+m\\d\\ds)");

	private static final Pattern TOTAL_LINE = Pattern.compile("backup  steps? \\S.*");

	/** A progress log line, whole: begun at a line's start and ended at its end, no frame text within. */
	private static final Pattern LOG_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  ProgressReporter +"
			+ "backup " + TOPIC + "-\\d: [\\d,]+ records of at most [\\d,]+ \\(\\d+%\\), .+, [\\d,]+ records/s, ETA \\S+");

	/** What a terminal emulator sets; the piped run gets it too, so that only the pipe tells the two apart. */
	private static final Map<String, String> TERMINAL = Map.of("TERM", "xterm-256color");

	private static KafkaSandbox kafka;

	@TempDir
	Path storage;

	@BeforeAll
	static void seed() {
		kafka = KafkaSandbox.shared();
		BulkData.raw(kafka.bootstrapServers(), TOPIC, 2, 20_000);
	}

	@Test
	void aTerminalShowsTheLiveDisplayBetweenTheLogLinesAndNoneIsLeftWhenTheResultPrints() {
		ChildProcess backup = ChildProcess.startAsShippedInTerminal(args("terminal"), TERMINAL);
		String screen = completed(backup);
		int result = screen.indexOf("backup-id: terminal");
		assertThat(result).as(screen).isPositive();
		assertThat(screen.substring(result)).contains("COMPLETED");
		// redrawn in place: the cursor goes back up over the last frame, each line erased before it is written
		assertThat(CURSOR_UP.matcher(screen).results().count()).as(screen).isGreaterThanOrEqualTo(2);
		assertThat(screen).contains("\u001b[2K");
		List<String> lines = lines(screen);
		assertThat(lines).as(screen).anyMatch((line) -> TOTAL_LINE.matcher(line).matches())
			.anyMatch((line) -> PARTITION_LINE.matcher(line).matches())
			.anyMatch((line) -> LOG_LINE.matcher(line).matches());
		// a log line while the display showed came through whole, the frame erased before it and drawn again after
		int firstFrame = screen.indexOf("\u001b[2K");
		Matcher logged = LOG_LINE.matcher(screen);
		assertThat(logged.find(firstFrame)).as(screen).isTrue();
		assertThat(screen.substring(0, logged.start())).containsPattern(ERASED + "$");
		assertThat(screen.substring(logged.end())).startsWith("\r\n\r\u001b[?7l\u001b[2K");
		// erased before the summary is logged and the result printed: no escape code after that
		Matcher erased = ERASED.matcher(screen);
		int end = -1;
		while (erased.find()) {
			end = erased.end();
		}
		assertThat(end).isEqualTo(lastEscapeEnd(screen));
		assertThat(screen.indexOf("ProgressReporter             backup COMPLETED in ")).isGreaterThan(end);
		assertThat(result).isGreaterThan(end);
	}

	@Test
	void aRestoreShowsEachPartitionsRecordsOfWhatTheBackupHolds() {
		// in this JVM, at full speed: only the restore is watched
		CommandRun backup = CommandRun.of(List.of(), quick("restored").toArray(String[]::new));
		assertThat(backup.exitCode()).as(backup.toString()).isZero();
		// 200 records a commit (each a producer flush), a partition at a time: seconds per partition
		List<String> restore = List.of("restore", "--backup-id", "restored", "--rename",
				TOPIC + "=" + TOPIC + "-restored", "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
				"--kafka-dr.storage.location=" + this.storage, "--kafka-dr.restore.chunk-size=200",
				"--kafka-dr.restore.parallelism=1");
		String screen = completed(ChildProcess.startAsShippedInTerminal(restore, TERMINAL));
		assertThat(CURSOR_UP.matcher(screen).results().count()).as(screen).isGreaterThanOrEqualTo(2);
		// a restore knows each partition's records from the manifest: exact, no "at most"
		assertThat(lines(screen)).as(screen)
			.anyMatch((line) -> line.matches("  " + TOPIC + "-restored-[01] +[\\d,]+ / 20,000 +\\d+% +[\\d.]+ "
					+ "(B|KiB|MiB|GiB)/s +(\\d+s|done)"))
			.anyMatch((line) -> line.startsWith("restore  step "));
		assertThat(screen.substring(lastEscapeEnd(screen))).contains("restoreJob execution", "COMPLETED");
	}

	@Test
	void withJsonATerminalGetsNoDisplay() {
		String screen = completed(ChildProcess.startAsShippedInTerminal(quick("json", "--json"), TERMINAL));
		assertThat(screen).doesNotContain("\u001b").contains("\"status\" : \"COMPLETED\"");
	}

	@Test
	void turnedOffATerminalGetsNoDisplay() {
		String screen = completed(
				ChildProcess.startAsShippedInTerminal(quick("off", "--kafka-dr.progress.display=off"), TERMINAL));
		assertThat(screen).doesNotContain("\u001b").contains("backup-id: off", "COMPLETED");
	}

	@Test
	void theSameBackupPipedPrintsNoEscapeCodeAndItsLogAsAlways() {
		ChildProcess backup = ChildProcess.startAsShippedPiped(args("piped"), TERMINAL);
		String output = completed(backup);
		assertThat(output).contains("backup-id: piped", "COMPLETED").doesNotContain("\u001b");
		assertThat(output.lines().toList()).anyMatch((line) -> LOG_LINE.matcher(line).matches())
			.anyMatch((line) -> line.endsWith("ProgressReporter             backup " + TOPIC + ": 40,000 records, "
					+ String.format("%.1f MiB", BulkData.rawBytes(2, 20_000) / 1024.0 / 1024.0) + " in 2 partitions"));
	}

	/**
	 * A backup of the topic in chunks of 20 records, a partition at a time, so that each partition
	 * takes seconds (a commit each) and shows a rate while it runs, with progress lines every second:
	 * some are logged while the display shows.
	 */
	private List<String> args(String backupId) {
		return new ArrayList<>(List.of("backup", "--backup-id", backupId,
				"--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
				"--kafka-dr.storage.location=" + this.storage, "--kafka-dr.topics.raw=" + TOPIC,
				"--kafka-dr.backup.chunk-size=20", "--kafka-dr.backup.parallelism=1", "--kafka-dr.progress.interval=1s"));
	}

	/**
	 * A backup at full speed, for a run that must show no display: the first frame would be drawn as
	 * the job starts.
	 */
	private List<String> quick(String backupId, String... more) {
		List<String> args = new ArrayList<>(List.of("backup", "--backup-id", backupId,
				"--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
				"--kafka-dr.storage.location=" + this.storage, "--kafka-dr.topics.raw=" + TOPIC));
		args.addAll(List.of(more));
		return args;
	}

	private static String completed(ChildProcess backup) {
		int exit = backup.waitFor(Duration.ofMinutes(3));
		assertThat(exit).as(backup.output()).isZero();
		return backup.output();
	}

	/** The terminal's lines as a person reads them: escape codes left out, CR LF and redraws split apart. */
	private static List<String> lines(String screen) {
		List<String> lines = new ArrayList<>();
		for (String line : screen.split("\r?\n|\u001b\\[2K")) {
			String text = ESCAPE.matcher(line).replaceAll("").replace("\r", "");
			if (!text.isBlank()) {
				lines.add(text);
			}
		}
		return lines;
	}

	private static int lastEscapeEnd(String screen) {
		int end = -1;
		Matcher escape = ESCAPE.matcher(screen);
		while (escape.find()) {
			end = escape.end();
		}
		return end;
	}

}
