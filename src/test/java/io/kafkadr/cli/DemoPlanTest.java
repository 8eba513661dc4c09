package io.kafkadr.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo reads its plan from the class path: the build puts jobs/demo.yaml beside the test classes unchanged. */
class DemoPlanTest {

	@Test
	void theTestClassPathCarriesJobsDemoYaml() throws IOException {
		try (InputStream plan = DemoCommand.class.getResourceAsStream("/jobs/demo.yaml")) {
			assertThat(plan).as("jobs/demo.yaml on the classpath").isNotNull();
			assertThat(plan.readAllBytes()).isEqualTo(Files.readAllBytes(Path.of("jobs", "demo.yaml")));
		}
	}

}
