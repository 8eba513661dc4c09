package io.kafkadr.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark's result: the machine, and per scenario every contender's figures (median, min and
 * max of the timed runs) and kafka-dr's ratio to it, then tables of figures that are not rates of
 * a contender (the scale-out scenario's coordination costs, commits and model). Written as
 * {@code results.md} and {@code results.json}.
 */
record Report(Map<String, String> machine, BenchSettings settings, List<Scenario> scenarios, List<Table> tables,
		List<String> notes) {

	/** The name kafka-dr's own rows carry; the ratios compare it with every other row of a scenario. */
	static final String KAFKA_DR = "kafka-dr";

	/**
	 * One comparison: contenders doing the same work on the same data.
	 *
	 * @param target the ratio kafka-dr must reach against {@code targetPeer}, or 0 for none
	 */
	record Scenario(String name, String work, double target, String targetPeer, List<Row> rows) {

		Row kafkaDr() {
			return this.rows.stream().filter(row -> row.contender().startsWith(KAFKA_DR)).findFirst().orElse(null);
		}

		/** kafka-dr's median records/s over the row's, or NaN where either is missing. */
		double ratio(Row peer) {
			Row own = kafkaDr();
			if (own == null || own.missing() != null || peer.missing() != null) {
				return Double.NaN;
			}
			return own.median() / peer.median();
		}

		String verdict() {
			if (this.target <= 0) {
				return "";
			}
			Row peer = this.rows.stream().filter(row -> row.contender().equals(this.targetPeer)).findFirst().orElse(null);
			double ratio = (peer != null) ? ratio(peer) : Double.NaN;
			if (Double.isNaN(ratio)) {
				return "target ≥ %.1f × %s: not measured".formatted(this.target, this.targetPeer);
			}
			return "target ≥ %.1f × %s: %.2f × — %s".formatted(this.target, this.targetPeer, ratio,
					(ratio >= this.target) ? "holds" : "does not hold");
		}

	}

	/**
	 * One contender in one scenario.
	 *
	 * @param missing the command that installs a contender that is not installed, else null
	 * @param recordsPerSecond one figure per timed run
	 * @param bytesPerRecord key and value bytes per record, for MB/s
	 * @param recordsPerCpuSecond records per CPU second (user and system) over all timed runs, NaN where not measured
	 * @param peakHeapBytes the largest heap occupancy of any run, -1 where not a JVM or not measured
	 * @param liveHeapBytes the largest heap occupancy after a collection of any run (what stays alive), -1 where not measured
	 * @param peakRssBytes the largest resident set of any run, -1 where not measured
	 */
	record Row(String contender, String missing, List<Double> recordsPerSecond, double bytesPerRecord,
			double recordsPerCpuSecond, long peakHeapBytes, long liveHeapBytes, long peakRssBytes, String note) {

		static Row missing(String contender, String install) {
			return new Row(contender, install, List.of(), 0, Double.NaN, -1, -1, -1, null);
		}

		double median() {
			List<Double> sorted = new ArrayList<>(this.recordsPerSecond);
			sorted.sort(null);
			int n = sorted.size();
			return (n == 0) ? Double.NaN : (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
		}

		double min() {
			return this.recordsPerSecond.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
		}

		double max() {
			return this.recordsPerSecond.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
		}

	}

	/**
	 * A table of its own, under the contenders' table.
	 *
	 * @param rows each as many cells as {@code columns}
	 * @param note what the table shows and how its figures were made, or null
	 */
	record Table(String title, List<String> columns, List<List<String>> rows, String note) {

		Table {
			for (List<String> row : rows) {
				if (row.size() != columns.size()) {
					throw new IllegalArgumentException(title + ": a row of " + row.size() + " cells under " + columns.size()
							+ " columns: " + row);
				}
			}
		}

	}

	void write(Path directory) {
		try {
			Files.createDirectories(directory);
			Files.writeString(directory.resolve("results.md"), markdown());
			JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
			Files.writeString(directory.resolve("results.json"), json.writeValueAsString(asJson()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String markdown() {
		StringBuilder md = new StringBuilder("# kafka-dr benchmark\n\n");
		md.append("Machine: ");
		md.append(String.join("; ", this.machine.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
		md.append("\n\nSettings: ").append(this.settings).append("\n\n");
		md.append("| scenario | contender | records/s median (min–max) | MB/s | records per CPU s | peak heap (after GC) | peak RSS | kafka-dr ÷ this |\n");
		md.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
		for (Scenario scenario : this.scenarios) {
			for (Row row : scenario.rows()) {
				md.append("| ").append(scenario.name()).append(" | ").append(row.contender()).append(" | ");
				if (row.missing() != null) {
					md.append("missing: `").append(row.missing()).append("` | | | | | |\n");
					continue;
				}
				md.append("%s (%s–%s)".formatted(number(row.median()), number(row.min()), number(row.max())));
				md.append(" | ").append(String.format(Locale.ROOT, "%.1f", row.median() * row.bytesPerRecord() / 1e6));
				md.append(" | ").append(number(row.recordsPerCpuSecond()));
				md.append(" | ").append(size(row.peakHeapBytes()));
				if (row.liveHeapBytes() >= 0) {
					md.append(" (").append(size(row.liveHeapBytes())).append(")");
				}
				md.append(" | ").append(size(row.peakRssBytes()));
				double ratio = scenario.ratio(row);
				md.append(" | ").append(row.contender().startsWith(KAFKA_DR) || Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.2f ×", ratio));
				md.append(" |\n");
			}
		}
		md.append("\n");
		for (Scenario scenario : this.scenarios) {
			md.append("- **").append(scenario.name()).append("**: ").append(scenario.work());
			if (!scenario.verdict().isEmpty()) {
				md.append(" ").append(scenario.verdict()).append(".");
			}
			scenario.rows().stream().filter(row -> row.note() != null)
				.forEach(row -> md.append(" ").append(row.contender()).append(": ").append(row.note()).append("."));
			md.append("\n");
		}
		for (Table table : this.tables) {
			md.append("\n### ").append(table.title()).append("\n\n");
			if (table.note() != null) {
				md.append(table.note()).append("\n\n");
			}
			md.append("| ").append(String.join(" | ", table.columns())).append(" |\n");
			md.append("|").append(" --- |".repeat(table.columns().size())).append("\n");
			table.rows().forEach(row -> md.append("| ").append(String.join(" | ", row)).append(" |\n"));
		}
		if (!this.notes.isEmpty()) {
			md.append("\n");
			this.notes.forEach(note -> md.append("- ").append(note).append("\n"));
		}
		return md.toString();
	}

	private Map<String, Object> asJson() {
		Map<String, Object> root = new LinkedHashMap<>();
		root.put("machine", this.machine);
		root.put("settings", this.settings.toString());
		List<Map<String, Object>> scenarios = new ArrayList<>();
		for (Scenario scenario : this.scenarios) {
			Map<String, Object> s = new LinkedHashMap<>();
			s.put("name", scenario.name());
			s.put("work", scenario.work());
			s.put("verdict", scenario.verdict());
			List<Map<String, Object>> rows = new ArrayList<>();
			for (Row row : scenario.rows()) {
				Map<String, Object> r = new LinkedHashMap<>();
				r.put("contender", row.contender());
				r.put("missing", row.missing());
				r.put("recordsPerSecond", row.recordsPerSecond());
				if (row.missing() == null) {
					r.put("medianRecordsPerSecond", row.median());
					r.put("minRecordsPerSecond", row.min());
					r.put("maxRecordsPerSecond", row.max());
					r.put("medianMegabytesPerSecond", row.median() * row.bytesPerRecord() / 1e6);
					r.put("recordsPerCpuSecond", Double.isNaN(row.recordsPerCpuSecond()) ? null : row.recordsPerCpuSecond());
					double ratio = scenario.ratio(row);
					r.put("kafkaDrRatio", Double.isNaN(ratio) ? null : ratio);
				}
				r.put("peakHeapBytes", row.peakHeapBytes());
				r.put("liveHeapBytes", row.liveHeapBytes());
				r.put("peakRssBytes", row.peakRssBytes());
				r.put("note", row.note());
				rows.add(r);
			}
			s.put("rows", rows);
			scenarios.add(s);
		}
		root.put("scenarios", scenarios);
		List<Map<String, Object>> tables = new ArrayList<>();
		for (Table table : this.tables) {
			Map<String, Object> t = new LinkedHashMap<>();
			t.put("title", table.title());
			t.put("note", table.note());
			t.put("columns", table.columns());
			t.put("rows", table.rows());
			tables.add(t);
		}
		root.put("tables", tables);
		root.put("notes", this.notes);
		return root;
	}

	private static String number(double value) {
		if (Double.isNaN(value) || value < 0) {
			return "–";
		}
		return String.format(Locale.ROOT, "%,.0f", value);
	}

	private static String size(long bytes) {
		return (bytes < 0) ? "–" : String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
	}

}
