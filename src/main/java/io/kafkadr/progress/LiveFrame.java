package io.kafkadr.progress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.springframework.batch.core.BatchStatus;

/**
 * One frame of the live display, as lines of text: a total line (the operation, the steps running,
 * how many of their partitions are done, the records, the rate and the ETA), then a table of the
 * topic-partitions with records done of expected, percent, rate over a recent window and ETA.
 * Unfinished partitions come first, the busiest first among them; past {@code partitionLines} the
 * rest are summed up in one "… N more" line. No line reaches the last column of the terminal.
 */
final class LiveFrame {

	private static final String INDENT = "  ";

	private static final String GAP = "  ";

	/** A partition's name is cut no shorter than this to make the table fit. */
	private static final int NARROWEST_NAME = 12;

	private final String ellipsis;

	private final String atMost;

	/**
	 * {@code unicode}: whether the terminal's encoding has "…" and "≤"; in a POSIX locale standard
	 * error is ASCII, where they would print as "?".
	 */
	LiveFrame(boolean unicode) {
		this.ellipsis = unicode ? "…" : "...";
		this.atMost = unicode ? "≤" : "<=";
	}

	/**
	 * What the job runs now: its operation, the steps running and, of the partitioned ones, how
	 * many partitions they have, are done with and have not begun (whose records are not known yet).
	 */
	record Job(String operation, List<String> steps, int partitions, int partitionsDone, int partitionsWaiting) {
	}

	/**
	 * A topic-partition of the board: records and how far it advanced of what it expects (offsets
	 * for a backup, where {@code exact} is false, records for a restore), its bytes and advance per
	 * second over the recent window (over its whole run once finished; NaN until known), and how its
	 * step ended ({@code null} while it runs).
	 */
	record Row(String topic, int partition, long records, long expected, boolean exact, long advanced,
			double bytesPerSecond, double advancePerSecond, BatchStatus finished) {

		String name() {
			return this.topic + "-" + this.partition;
		}

		boolean active() {
			return this.finished == null;
		}

		/** Seconds until it is done at its recent pace; -1 when it makes none. */
		long eta() {
			long remaining = Math.max(0, this.expected - this.advanced);
			if (remaining == 0) {
				return 0;
			}
			return (this.advancePerSecond > 0) ? Math.round(remaining / this.advancePerSecond) : -1;
		}

		int percent() {
			return (this.expected > 0) ? (int) Math.min(100, 100 * this.advanced / this.expected) : 100;
		}

		/** Running first, then failed or stopped, then completed: what still needs watching on top. */
		int rank() {
			return active() ? 0 : (this.finished == BatchStatus.COMPLETED) ? 2 : 1;
		}

		double rate() {
			return Double.isNaN(this.bytesPerSecond) ? 0 : this.bytesPerSecond;
		}

	}

	/**
	 * The frame for this job and these partitions, no line longer than {@code width} less one
	 * (a character in the last column makes some terminals wrap at once, which the next redraw
	 * would not climb back over), at most {@code partitionLines} lines of partitions.
	 */
	List<String> render(Job job, List<Row> rows, int width, int partitionLines) {
		List<String> lines = new ArrayList<>();
		lines.add(total(job, rows, width - 1));
		List<Row> ordered = rows.stream()
			.sorted(Comparator.comparingInt(Row::rank)
				.thenComparing(Comparator.comparingDouble((Row row) -> row.active() ? -row.rate() : 0))
				.thenComparing(Row::topic)
				.thenComparingInt(Row::partition))
			.toList();
		if (!ordered.isEmpty() && partitionLines > 0) {
			int shown = (ordered.size() <= partitionLines) ? ordered.size() : partitionLines - 1;
			lines.addAll(table(ordered.subList(0, shown), width));
			if (shown < ordered.size()) {
				lines.add(INDENT + more(ordered.subList(shown, ordered.size())));
			}
		}
		return lines.stream().map((line) -> cut(line, width - 1)).toList();
	}

	/**
	 * The total line; on a narrow terminal without the partitions done, then without the steps,
	 * rather than cut before the rate and the ETA.
	 */
	private String total(Job job, List<Row> rows, int width) {
		String steps = job.steps().isEmpty() ? null
				: ((job.steps().size() == 1) ? "step " : "steps ") + String.join(", ", job.steps());
		String partitions = (job.partitions() > 0)
				? String.format("partitions %,d/%,d done", job.partitionsDone(), job.partitions()) : null;
		List<String> counts = counts(job, rows);
		String line = total(job.operation(), steps, partitions, counts);
		if (line.length() > width) {
			line = total(job.operation(), steps, null, counts);
		}
		if (line.length() > width) {
			line = total(job.operation(), null, null, counts);
		}
		return line;
	}

	private static String total(String operation, String steps, String partitions, List<String> counts) {
		List<String> parts = new ArrayList<>();
		parts.add(operation);
		if (steps != null) {
			parts.add(steps);
		}
		if (partitions != null) {
			parts.add(partitions);
		}
		parts.addAll(counts);
		return String.join(GAP, parts);
	}

	/** The records, the rate and the ETA of the partitions on the board. */
	private List<String> counts(Job job, List<Row> rows) {
		List<String> parts = new ArrayList<>();
		if (!rows.isEmpty()) {
			long records = rows.stream().mapToLong(Row::records).sum();
			// Partitions not begun have no expected count on the board yet: a total of the others would mislead.
			if (job.partitionsWaiting() == 0) {
				long expected = rows.stream().mapToLong(Row::expected).sum();
				long advanced = rows.stream().mapToLong(Row::advanced).sum();
				boolean exact = rows.stream().allMatch(Row::exact);
				int percent = (expected > 0) ? (int) Math.min(100, 100 * advanced / expected) : 100;
				parts.add(String.format("%,d / %s%,d records (%d%%)", records, exact ? "" : this.atMost, expected,
						percent));
			}
			else {
				parts.add(String.format("%,d records", records));
			}
			List<Row> active = rows.stream().filter(Row::active).toList();
			if (active.stream().anyMatch((row) -> !Double.isNaN(row.bytesPerSecond()))) {
				parts.add(rate(active.stream().mapToDouble(Row::rate).sum()));
			}
			// Every partition left is running, side by side: the job's part ends with the slowest of them.
			if (!active.isEmpty() && job.partitionsWaiting() == 0 && active.stream().allMatch((row) -> row.eta() >= 0)) {
				parts.add("ETA " + Units.duration(active.stream().mapToLong(Row::eta).max().orElse(0)));
			}
		}
		return parts;
	}

	private List<String> table(List<Row> rows, int width) {
		List<String[]> cells = new ArrayList<>();
		for (Row row : rows) {
			cells.add(new String[] { row.name(),
					String.format("%,d / %s%,d", row.records(), row.exact() ? "" : this.atMost, row.expected()),
					row.percent() + "%", Double.isNaN(row.bytesPerSecond()) ? "-" : rate(row.bytesPerSecond()),
					eta(row) });
		}
		String[] header = { "PARTITION", "RECORDS", "%", "RATE", "ETA" };
		// Room for the usual percent, rate and ETA ("100%", "512.0 KiB/s", "4m05s") from the first frame, so that
		// the columns stay put from one frame to the next; not on a terminal too narrow for it.
		int[] widths = widths(header, cells, new int[] { 0, 0, 4, 11, 5 });
		if (others(widths) + NARROWEST_NAME > width - 1) {
			widths = widths(header, cells, new int[header.length]);
		}
		// The name column gives way first: the numbers are what the display is for.
		widths[0] = Math.max(Math.min(widths[0], width - 1 - others(widths)), Math.min(widths[0], NARROWEST_NAME));
		List<String> lines = new ArrayList<>();
		lines.add(line(header, widths));
		for (String[] cell : cells) {
			cell[0] = shorten(cell[0], widths[0]);
			lines.add(line(cell, widths));
		}
		return lines;
	}

	/** Each column as wide as its widest cell, header included, and at least as wide as {@code least}. */
	private static int[] widths(String[] header, List<String[]> cells, int[] least) {
		int[] widths = least.clone();
		for (int column = 0; column < header.length; column++) {
			widths[column] = Math.max(widths[column], header[column].length());
			for (String[] cell : cells) {
				widths[column] = Math.max(widths[column], cell[column].length());
			}
		}
		return widths;
	}

	/** The width of a line but for its name. */
	private static int others(int[] widths) {
		int others = INDENT.length();
		for (int column = 1; column < widths.length; column++) {
			others += GAP.length() + widths[column];
		}
		return others;
	}

	/** The name left-aligned, the numbers right-aligned. */
	private static String line(String[] cells, int[] widths) {
		StringBuilder line = new StringBuilder(INDENT).append(pad(cells[0], widths[0], false));
		for (int column = 1; column < cells.length; column++) {
			line.append(GAP).append(pad(cells[column], widths[column], true));
		}
		return line.toString().stripTrailing();
	}

	private String more(List<Row> hidden) {
		long moving = hidden.stream().filter(Row::active).count();
		long done = hidden.stream().filter((row) -> row.finished() == BatchStatus.COMPLETED).count();
		long ended = hidden.size() - moving - done;
		List<String> kinds = new ArrayList<>();
		if (moving > 0) {
			kinds.add(String.format("%,d moving", moving));
		}
		if (ended > 0) {
			kinds.add(String.format("%,d failed or stopped", ended));
		}
		if (done > 0) {
			kinds.add(String.format("%,d done", done));
		}
		return String.format("%s %,d more: %s", this.ellipsis, hidden.size(), String.join(", ", kinds));
	}

	private static String eta(Row row) {
		if (!row.active()) {
			return (row.finished() == BatchStatus.COMPLETED) ? "done" : row.finished().name().toLowerCase(Locale.ROOT);
		}
		long eta = row.eta();
		return (eta >= 0) ? Units.duration(eta) : "-";
	}

	private static String rate(double bytesPerSecond) {
		return Units.bytes(Math.round(bytesPerSecond)) + "/s";
	}

	/** A name too long for its column keeps its end, where the partition number is. */
	private String shorten(String name, int width) {
		if (name.length() <= width) {
			return name;
		}
		return this.ellipsis + name.substring(name.length() - Math.max(0, width - this.ellipsis.length()));
	}

	private static String pad(String text, int width, boolean right) {
		String spaces = " ".repeat(Math.max(0, width - text.length()));
		return right ? spaces + text : text + spaces;
	}

	private static String cut(String line, int width) {
		return (line.length() <= width) ? line : line.substring(0, Math.max(0, width));
	}

}
