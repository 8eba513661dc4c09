package io.kafkadr.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark at a tiny size, so that it keeps working: it runs every contender once, the
 * scale-out scenario's too, and writes both tables. It asserts that it ran and what the tables
 * hold, never a timing.
 */
@Tag("integration")
class BenchmarkRunsTest {

	@TempDir
	Path output;

	@Test
	void writesEveryContenderIntoBothTables() throws Exception {
		Report report = Benchmark.run(BenchSettings.tiny(this.output));

		String markdown = Files.readString(this.output.resolve("results.md"));
		String json = Files.readString(this.output.resolve("results.json"));
		assertThat(markdown).contains("cores", "jdk", "memory");
		List<String> contenders = List.of("kafka-dr backup", "kcat -C -J", "ConsumerPerformance", "kafka-dr restore",
				"kcat -P", "ProducerPerformance", "parallelism 1", "chunk-bytes 4MB", "kafka-dr AvroBinaryToJson",
				"Avro GenericDatumReader + JsonEncoder", "kafka-dr JsonToAvroBinary", "Avro JsonDecoder + GenericDatumWriter",
				"gzip-1", "zstd-1", "lz4", "snappy", "kafka-dr local, H2, 1 thread", "kafka-dr local, H2, 2 threads",
				"kafka-dr local, PostgreSQL, 1 thread", "kafka-dr manager + 1 worker × 1 thread",
				"kafka-dr manager + 2 workers × 1 thread");
		for (String contender : contenders) {
			assertThat(markdown).contains("| " + contender + " |");
			assertThat(json).contains("\"contender\" : \"" + contender + "\"");
		}
		boolean kcat = Files.isExecutable(Path.of(Benchmark.KCAT));
		boolean postgres = postgres();
		for (Report.Scenario scenario : report.scenarios()) {
			for (Report.Row row : scenario.rows()) {
				if (row.contender().startsWith("kcat") && !kcat) {
					assertThat(row.missing()).isEqualTo("apt-get install -y kcat");
				}
				else if ((row.contender().contains("PostgreSQL") || row.contender().contains("worker")) && !postgres) {
					assertThat(row.missing()).startsWith("PostgreSQL at ");
				}
				else {
					assertThat(row.recordsPerSecond()).as(scenario.name() + " / " + row.contender()).isNotEmpty();
				}
			}
		}
		if (!kcat) {
			assertThat(markdown).contains("missing: `apt-get install -y kcat`");
		}
		assertThat(report.scenarios()).extracting(Report.Scenario::name)
			.contains("scale-out backup scale-4", "scale-out restore scale-4");
		List<String> tables = report.tables().stream().map(Report.Table::title).toList();
		assertThat(tables).contains("Scale-out: job-repository chunk commits", "Scale-out: coordination, per partitioned step",
				"Scale-out: a partition's fixed cost and streaming rate", "Scale-out: CPU per run");
		if (postgres) {
			assertThat(tables).contains("Scale-out model: inputs, from the runs of one worker × 1 thread");
			Report.Table coordination = report.tables().stream()
				.filter(table -> table.title().equals("Scale-out: coordination, per partitioned step"))
				.findFirst()
				.orElseThrow();
			// one worker ran every partition of the backup; two shared them
			assertThat(coordination.rows()).anySatisfy(row -> assertThat(row).containsSubsequence("backup",
					"manager + 1 worker × 1 thread", "internalTopics").last().isEqualTo("4"));
			assertThat(coordination.rows()).anySatisfy(row -> assertThat(row).containsSubsequence("backup",
					"manager + 2 workers × 1 thread", "internalTopics").last().asString().matches("\\d\\+\\d"));
		}
		for (Report.Table table : report.tables()) {
			assertThat(markdown).contains("### " + table.title());
			assertThat(json).contains("\"title\" : \"" + table.title() + "\"");
		}
	}

	private static boolean postgres() {
		try (Connection connection = DriverManager.getConnection(BenchSettings.tiny(Path.of(".")).scaleOut().jdbcUrl(),
				"postgres", "")) {
			return connection.isValid(5);
		}
		catch (SQLException ex) {
			return false;
		}
	}

}
