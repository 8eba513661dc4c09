package io.kafkadr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages' layering (docs/architecture.md, Layers): each package of the application imports
 * only the kafka-dr packages listed for it here, so backup and restore never import each other and
 * nothing imports a package above it. A new dependency between packages is a design decision: make
 * it here and in the architecture document, or move the code.
 */
class LayeringTest {

	private static final Path SOURCES = Path.of("src/main/java/io/kafkadr");

	/** Package → the kafka-dr packages it may import. Leaves first, then each layer on the ones before. */
	private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(Map.entry("avro", Set.of()), Map.entry("storage", Set.of()),
			Map.entry("encryption", Set.of()),
			Map.entry("tls", Set.of()), Map.entry("logging", Set.of()), Map.entry("execution", Set.of("storage")),
			Map.entry("partitioning", Set.of("progress")), Map.entry("http", Set.of("tls")), Map.entry("archive", Set.of("avro", "encryption", "storage")),
			Map.entry("progress", Set.of("execution")), Map.entry("history", Set.of("execution")),
			Map.entry("metrics", Set.of("http")), Map.entry("registry", Set.of("http", "tls")),
			Map.entry("kafka", Set.of("archive", "execution", "http", "tls")),
			Map.entry("backup", Set.of("archive", "avro", "execution", "kafka", "partitioning", "progress", "registry",
					"storage", "tls")),
			Map.entry("restore", Set.of("archive", "avro", "execution", "kafka", "partitioning", "progress", "registry",
					"storage", "tls")),
			Map.entry("cli", Set.of("archive", "avro", "backup", "encryption", "execution", "history", "kafka",
					"partitioning", "progress", "registry", "restore", "storage", "tls")));

	private static final Pattern REFERENCE = Pattern.compile("\\bio\\.kafkadr\\.([a-z]+)\\.");

	@Test
	void everyPackageImportsOnlyTheLayersBelowIt() {
		List<String> violations = new ArrayList<>();
		try (Stream<Path> files = Files.walk(SOURCES)) {
			for (Path file : files.filter(path -> path.toString().endsWith(".java")).sorted().toList()) {
				Path relative = SOURCES.relativize(file);
				if (relative.getNameCount() < 2) {
					continue; // the application class wires everything together
				}
				String name = relative.getName(0).toString();
				assertThat(ALLOWED).as("layer of package %s (add it to ALLOWED and docs/architecture.md)", name)
					.containsKey(name);
				violations.addAll(violations(name, relative.toString(), Files.readString(file)));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		assertThat(violations).as("imports across layers").isEmpty();
	}

	@Test
	void anImportOfRestoreFromBackupIsReported() {
		String source = """
				package io.kafkadr.backup;

				import io.kafkadr.archive.Manifest;
				import static io.kafkadr.restore.RestorePlan.REGISTRY_TOPIC;

				/** Refers to {@link io.kafkadr.cli.ExitCodes} in a comment only. */
				class Example {
					Object plan = new io.kafkadr.history.JobHistory(null);
				}
				""";
		assertThat(violations("backup", "backup/Example.java", source)).containsExactly(
				"backup/Example.java imports io.kafkadr.restore (backup may import archive, avro, execution, kafka,"
						+ " partitioning, progress, registry, storage, tls)",
				"backup/Example.java imports io.kafkadr.history (backup may import archive, avro, execution, kafka,"
						+ " partitioning, progress, registry, storage, tls)");
	}

	/** Imports and fully qualified names in code of a package it may not use; comments do not count. */
	private static List<String> violations(String name, String file, String source) {
		Set<String> allowed = ALLOWED.get(name);
		List<String> violations = new ArrayList<>();
		for (String line : source.lines().toList()) {
			String code = line.strip();
			if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//") || code.startsWith("package ")) {
				continue;
			}
			Matcher matcher = REFERENCE.matcher(code);
			while (matcher.find()) {
				String used = matcher.group(1);
				if (!used.equals(name) && !allowed.contains(used)) {
					violations.add(file + " imports io.kafkadr." + used + " (" + name + " may import "
							+ String.join(", ", allowed.stream().sorted().toList()) + ")");
				}
			}
		}
		return violations;
	}

}
