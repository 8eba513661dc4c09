package io.kafkadr.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark at a tiny size, so that it keeps working: it runs every contender once and writes
 * both tables. It asserts that it ran and what the tables hold, never a timing.
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
				"gzip-1", "zstd-1", "lz4", "snappy");
		for (String contender : contenders) {
			assertThat(markdown).contains("| " + contender + " |");
			assertThat(json).contains("\"contender\" : \"" + contender + "\"");
		}
		boolean kcat = Files.isExecutable(Path.of(Benchmark.KCAT));
		for (Report.Scenario scenario : report.scenarios()) {
			for (Report.Row row : scenario.rows()) {
				if (row.contender().startsWith("kcat") && !kcat) {
					assertThat(row.missing()).isEqualTo("apt-get install -y kcat");
				}
				else {
					assertThat(row.recordsPerSecond()).as(scenario.name() + " / " + row.contender()).isNotEmpty();
				}
			}
		}
		if (!kcat) {
			assertThat(markdown).contains("missing: `apt-get install -y kcat`");
		}
	}

}
