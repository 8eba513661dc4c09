package io.kafkadr.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.kafkadr.testing.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A misspelt kafka-dr setting is refused, with the closest real one, and so are a value no setting
 * takes and a backup that selects nothing, before anything is created.
 */
class UnknownSettingsTest {

	@TempDir
	Path directory;

	@Test
	void aMisspeltSettingIsRefusedWithTheClosestOneAndNothingIsCreated() {
		Path location = this.directory.resolve("backups");
		CommandRun run = CommandRun.of(List.of("--kafka-dr.storage.location=" + location,
				"--kafka-dr.backup.chunk-sise=100"), "history");
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
		assertThat(run.err()).contains("kafka-dr.backup.chunk-sise is not a kafka-dr setting",
				"did you mean kafka-dr.backup.chunk-size?");
		assertThat(location).doesNotExist();
	}

	@Test
	void aValueThatIsRefusedNamesTheSettingAndTheReasonNotTheBeans() {
		CommandRun run = CommandRun.of(List.of("--kafka-dr.storage.location=" + this.directory.resolve("backups"),
				"--kafka-dr.backup.chunk-bytes=0"), "history");
		assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
		assertThat(run.err()).contains("kafka-dr cannot start: Invalid setting under kafka-dr.backup: kafka-dr.backup.chunk-size,"
				+ " kafka-dr.backup.chunk-bytes and kafka-dr.backup.chunk-interval must be positive; got 50000, 0B and PT5S")
			.doesNotContain("Error creating bean");
		CommandRun unreadable = CommandRun.of(List.of("--kafka-dr.storage.location=" + this.directory.resolve("backups"),
				"--kafka-dr.restore.chunk-bytes=lots"), "history");
		assertThat(unreadable.exitCode()).as(unreadable.toString()).isEqualTo(2);
		assertThat(unreadable.err()).contains("Invalid setting under kafka-dr.restore.chunk-bytes", "lots")
			.doesNotContain("Error creating bean");
	}

	@Test
	void aRefusedValueOrABackupWithoutTopicsCreatesNothing() {
		Path location = this.directory.resolve("backups");
		CommandRun value = CommandRun.of(List.of("--kafka-dr.storage.location=" + location,
				"--kafka-dr.topics.raw=connect-offsets", "--kafka-dr.backup.chunk-size=0"), "backup");
		assertThat(value.exitCode()).as(value.toString()).isEqualTo(2);
		assertThat(value.err()).contains("Invalid setting under kafka-dr.backup");
		CommandRun noTopics = CommandRun.of(List.of("--kafka-dr.storage.location=" + location), "backup");
		assertThat(noTopics.exitCode()).as(noTopics.toString()).isEqualTo(2);
		assertThat(noTopics.err()).contains("No topics are selected");
		CommandRun noRegistry = CommandRun.of(List.of("--kafka-dr.storage.location=" + location,
				"--kafka-dr.topics.avro=postgres\\..*"), "backup");
		assertThat(noRegistry.exitCode()).as(noRegistry.toString()).isEqualTo(2);
		assertThat(noRegistry.err()).contains("kafka-dr.registry.url is not set");
		// not even the job repository's file, which a started application would have made
		assertThat(location).doesNotExist();
	}

	@Test
	void listsAndMapsAreSettingsToo() {
		CommandRun run = CommandRun.of(List.of("--kafka-dr.storage.location=" + this.directory,
				"--kafka-dr.topics.avro[0]=a\\..*", "--kafka-dr.topics.wire-format.apicurio-global-id=b\\..*"), "history");
		assertThat(run.exitCode()).as(run.toString()).isZero();
	}

	@Test
	void everyPlanUnderJobsUsesOnlyRealSettings() throws IOException {
		List<Path> plans;
		try (Stream<Path> files = Files.list(Path.of("jobs"))) {
			plans = files.filter(file -> file.toString().endsWith(".yaml")).toList();
		}
		assertThat(plans).isNotEmpty();
		for (Path plan : plans) {
			StandardEnvironment environment = new StandardEnvironment();
			new YamlPropertySourceLoader().load(plan.toString(), new FileSystemResource(plan))
				.forEach(environment.getPropertySources()::addFirst);
			new YamlPropertySourceLoader().load("defaults", new FileSystemResource("src/main/resources/application.yaml"))
				.forEach(environment.getPropertySources()::addFirst);
			assertThatNoException().as(plan.toString())
				.isThrownBy(() -> new UnknownSettings().onApplicationEvent(new ApplicationEnvironmentPreparedEvent(
						new DefaultBootstrapContext(), new SpringApplication(), new String[0], environment)));
		}
		StandardEnvironment misspelt = new StandardEnvironment();
		misspelt.getPropertySources()
			.addFirst(new MapPropertySource("plan",
					Map.of("kafka-dr.registry.urll", "http://registry")));
		assertThatThrownBy(() -> new UnknownSettings().onApplicationEvent(
				new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(), new SpringApplication(),
						new String[0], misspelt)))
			.hasMessageContaining("did you mean kafka-dr.registry.url?");
	}

}
