package io.kafkadr.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import picocli.CommandLine.Option;

/**
 * Short options for the settings nearly every run needs, each standing for one Spring property, so
 * that {@code kafka-dr backup --bootstrap-server broker:9092 --plan cdc-pipeline} works without
 * knowing property names. They become {@code --name=value} arguments before the application
 * context starts ({@link #springArguments}); giving both an option and its property is refused.
 */
class SettingOptions implements PropertyOptions {

	private static final Path PLANS = Path.of("jobs");

	@Option(names = "--bootstrap-server", paramLabel = "HOST:PORT",
			description = "The Kafka cluster (spring.kafka.bootstrap-servers).")
	String bootstrapServer;

	@Option(names = "--registry-url", paramLabel = "URL",
			description = "The Schema Registry's Confluent-compatible API (kafka-dr.registry.url), e.g."
					+ " http://registry:8080/apis/ccompat/v7 for Apicurio.")
	String registryUrl;

	@Option(names = "--storage", paramLabel = "DIR", description = "Where the backups are (kafka-dr.storage.location).")
	String storage;

	@Option(names = "--plan", paramLabel = "FILE",
			description = "A plan: a Spring Boot config file, by path or by name under jobs/ (cdc-pipeline for"
					+ " jobs/cdc-pipeline.yaml).")
	String plan;

	@Override
	public List<String> springArguments(List<String> given) {
		List<String> arguments = new ArrayList<>();
		add(arguments, given, "--bootstrap-server", "spring.kafka.bootstrap-servers", this.bootstrapServer);
		add(arguments, given, "--registry-url", "kafka-dr.registry.url", this.registryUrl);
		add(arguments, given, "--storage", "kafka-dr.storage.location", this.storage);
		if (this.plan != null) {
			add(arguments, given, "--plan", "spring.config.additional-location", "file:" + planFile().toAbsolutePath());
		}
		return arguments;
	}

	private static void add(List<String> arguments, List<String> given, String option, String property, String value) {
		if (value == null) {
			return;
		}
		PropertyOptions.refuseBoth(given, option, property);
		arguments.add("--" + property + "=" + value);
	}

	private Path planFile() {
		Path path = Path.of(this.plan);
		if (Files.isRegularFile(path)) {
			return path;
		}
		Path named = PLANS.resolve(this.plan.endsWith(".yaml") ? this.plan : this.plan + ".yaml");
		if (Files.isRegularFile(named)) {
			return named;
		}
		List<String> plans = new ArrayList<>();
		if (Files.isDirectory(PLANS)) {
			try (Stream<Path> files = Files.list(PLANS)) {
				files.map(file -> file.getFileName().toString())
					.filter(name -> name.endsWith(".yaml"))
					.sorted()
					.forEach(name -> plans.add(name.substring(0, name.length() - ".yaml".length())));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		throw new UsageException("--plan " + this.plan + ": there is no file " + path + " nor " + named
				+ (plans.isEmpty() ? "" : "; the plans under jobs/ are " + String.join(", ", plans)) + ".");
	}

}
