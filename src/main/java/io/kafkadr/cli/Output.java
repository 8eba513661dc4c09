package io.kafkadr.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import io.kafkadr.history.ExecutionSummary;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** What commands print on standard output: human text, or JSON for scripts. */
final class Output {

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private final PrintWriter out;

	Output(PrintWriter out) {
		this.out = out;
	}

	void line(String text) {
		this.out.println(text);
		this.out.flush();
	}

	void json(Object value) {
		line(JSON.writeValueAsString(value));
	}

	void summary(ExecutionSummary execution) {
		line(String.format("%s execution %d: %s  started %s  ended %s%s", execution.job(), execution.executionId(),
				execution.status(), time(execution.startTime()), time(execution.endTime()),
				(execution.durationMillis() != null) ? "  (" + duration(execution.durationMillis()) + ")" : ""));
		for (ExecutionSummary.Step step : execution.steps()) {
			String partitions = (step.partitions() > 0)
					? String.format("  partitions %d/%d done", step.partitionsCompleted(), step.partitions()) : "";
			line(String.format("  %-16s %-10s read %,12d  written %,12d%s", step.name(), step.status(), step.readCount(),
					step.writeCount(), partitions));
			if (!step.partitionsFailed().isEmpty()) {
				line("    failed partitions: " + String.join(", ", step.partitionsFailed()));
			}
		}
		if (execution.failure() != null) {
			// A completed job's exit description is a warning (an incremental backup's gap), not a failure.
			line(("COMPLETED".equals(execution.status()) ? "  " : "  failure: ") + execution.failure());
		}
	}

	/**
	 * Says that a job stopped and how to resume it: on standard output for people, on standard error
	 * with {@code --json} (whose output stays one JSON document; its status says STOPPED).
	 */
	void stopped(boolean json, PrintWriter err, String notice) {
		if (json) {
			err.println(notice);
			err.flush();
		}
		else {
			line(notice);
		}
	}

	/** A value of a table cell, {@code -} when there is none. */
	static String orDash(Object value) {
		return (value != null) ? value.toString() : "-";
	}

	static String time(LocalDateTime time) {
		return (time != null) ? TIME.format(time) : "-";
	}

	static String duration(long millis) {
		Duration duration = Duration.ofMillis(millis);
		if (duration.toHours() > 0) {
			return String.format("%dh%02dm%02ds", duration.toHours(), duration.toMinutesPart(), duration.toSecondsPart());
		}
		if (duration.toMinutes() > 0) {
			return String.format("%dm%02ds", duration.toMinutes(), duration.toSecondsPart());
		}
		return String.format("%.1fs", millis / 1000.0);
	}

	static String bytes(long bytes) {
		if (bytes < 1024) {
			return bytes + " B";
		}
		String[] units = { "KiB", "MiB", "GiB", "TiB" };
		double value = bytes;
		int unit = -1;
		while (value >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return String.format("%.1f %s", value, units[unit]);
	}

}
