package io.kafkadr.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The sizes and repetitions of a benchmark run, from {@code bench.*} system properties (see
 * {@code docs/benchmarks.md}).
 *
 * @param raw300Records records of the raw topic with 300-byte values
 * @param raw3kRecords records of the raw topic with 3 KB values
 * @param avroRecords records of the Avro topic of change events
 * @param partitions partitions of each topic
 * @param runs timed runs per contender (the figure is their median)
 * @param warmups untimed runs per contender before the timed ones
 * @param largeBytes value bytes of the large raw topic for the memory check; 0 leaves it out
 * @param largeRecordBytes the size of each of its values
 * @param heap the {@code -Xmx} kafka-dr runs with
 * @param jmhForks JMH forks of the codec benchmark; 0 runs it in this JVM
 * @param jmhIterationMillis the length of one JMH measurement iteration
 * @param output where the tables go
 * @param app an extracted kafka-dr jar, with its AOT cache, to run as the image runs it ({@code bench/run}
 * makes one); {@code null} runs kafka-dr from this JVM's class path
 * @param scaleOut the scale-out scenario's settings
 */
public record BenchSettings(int raw300Records, int raw3kRecords, int avroRecords, int partitions, int runs,
		int warmups, long largeBytes, int largeRecordBytes, String heap, int jmhForks, int jmhIterationMillis, Path output, Path app,
		ScaleOut scaleOut) {

	/**
	 * The scale-out scenario (docs/benchmarks.md, Scale-out): local against remote partitioning on a
	 * topic of many partitions, with a PostgreSQL job repository.
	 *
	 * @param mode {@code off} (the default: it takes 10 to 15 minutes more), {@code on}, or {@code only}
	 * (this scenario alone, without the other data sets and the JMH benchmarks)
	 * @param partitions partitions of its topic
	 * @param records records of its topic, 300-byte values, partition {@code p} holding {@code 1 + p % 4}
	 * shares, so that partition durations against their sizes separate a partition's fixed cost from
	 * its streaming rate
	 * @param jdbcUrl the PostgreSQL database the job repository runs in, in a schema of its own that
	 * the scenario creates and drops
	 * @param username its user; the password is empty (trust authentication, as the tests use)
	 */
	public record ScaleOut(String mode, int partitions, int records, String jdbcUrl, String username) {

		public ScaleOut {
			if (!List.of("off", "on", "only").contains(mode)) {
				throw new IllegalArgumentException("bench.scaleout must be off, on or only; got " + mode);
			}
		}

		boolean enabled() {
			return !this.mode.equals("off");
		}

		boolean only() {
			return this.mode.equals("only");
		}

	}

	/** The defaults, overridden by system properties. */
	public static BenchSettings fromSystemProperties() {
		Properties p = System.getProperties();
		return new BenchSettings(integer(p, "bench.raw300.records", 500_000), integer(p, "bench.raw3k.records", 100_000),
				integer(p, "bench.avro.records", 500_000), integer(p, "bench.partitions", 4), integer(p, "bench.runs", 3),
				integer(p, "bench.warmups", 1), bytes(p.getProperty("bench.large", "0")),
				(int) bytes(p.getProperty("bench.large.record", "3000")), p.getProperty("bench.heap", "256m"),
				integer(p, "bench.jmh.forks", 1), integer(p, "bench.jmh.iteration-millis", 2000),
				Path.of(p.getProperty("bench.output", "target/bench")),
				(p.getProperty("bench.app") != null) ? Path.of(p.getProperty("bench.app")).toAbsolutePath() : null,
				new ScaleOut(mode(p.getProperty("bench.scaleout", "off")), integer(p, "bench.scaleout.partitions", 64),
						integer(p, "bench.scaleout.records", 640_000),
						p.getProperty("bench.scaleout.jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test"),
						p.getProperty("bench.scaleout.username", "postgres")));
	}

	/** A run small enough for CI: it proves that every contender runs and the tables are written. */
	public static BenchSettings tiny(Path output) {
		return new BenchSettings(2_000, 500, 2_000, 1, 1, 0, 0, 3000, "256m", 0, 100, output, null,
				new ScaleOut("on", 4, 2_000, "jdbc:postgresql://127.0.0.1:5432/test", "postgres"));
	}

	/** {@code -Dbench.scaleout} alone, as a flag, means on. */
	private static String mode(String value) {
		String mode = value.trim().toLowerCase(Locale.ROOT);
		return switch (mode) {
			case "", "true" -> "on";
			case "false" -> "off";
			default -> mode;
		};
	}

	static long bytes(String text) {
		String value = text.trim().toUpperCase(Locale.ROOT);
		long unit = 1;
		for (String suffix : new String[] { "KB", "MB", "GB", "K", "M", "G" }) {
			if (value.endsWith(suffix)) {
				unit = switch (suffix.charAt(0)) {
					case 'K' -> 1L << 10;
					case 'M' -> 1L << 20;
					default -> 1L << 30;
				};
				value = value.substring(0, value.length() - suffix.length()).trim();
				break;
			}
		}
		return (long) (Double.parseDouble(value) * unit);
	}

	private static int integer(Properties properties, String name, int defaultValue) {
		String value = properties.getProperty(name);
		return (value == null) ? defaultValue : Integer.parseInt(value.trim().replace("_", ""));
	}

}
