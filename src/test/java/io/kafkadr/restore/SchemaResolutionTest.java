package io.kafkadr.restore;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.SchemaStore;
import io.kafkadr.archive.StoredSchema;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryProperties;
import io.kafkadr.registry.RegistryUnavailableException;
import io.kafkadr.sandbox.RegistrySandbox;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A backed-up schema resolves in a real registry only under an id holding the same schema: an id
 * that holds another one (a registry replaced or reset mid-restore) or none does not count.
 */
@Tag("integration")
class SchemaResolutionTest {

	@TempDir
	Path location;

	@Test
	void anIdResolvesOnlyToTheSameSchema() {
		RegistryClient registry = new RegistryClient(RegistryProperties.forUrl(RegistrySandbox.shared().url()));
		String backedUp = record("{\"name\":\"id\",\"type\":\"long\"}");
		String other = record("{\"name\":\"id\",\"type\":\"string\"}");
		int sameId = registry.register("resolution-same-value", "AVRO", backedUp, List.of(), null, null);
		int otherId = registry.register("resolution-other-value", "AVRO", other, List.of(), null, null);
		SchemaStore schemas = new SchemaStore(new BackupStorage(this.location).backup("b"));
		String fingerprint = schemas.put(new StoredSchema("AVRO", backedUp.replace(",", ", "), List.of()));

		assertThat(SchemaResolution.check(registry, schemas, fingerprint, sameId)).isNull();
		SchemaResolution.Problem replaced = SchemaResolution.check(registry, schemas, fingerprint, otherId);
		assertThat(replaced.description()).isEqualTo("id " + otherId + " resolves to a different schema");
		assertThat(replaced.lost()).isTrue();
		SchemaResolution.Problem missing = SchemaResolution.check(registry, schemas, fingerprint, 987_654);
		assertThat(missing.description()).startsWith("id 987654");
		assertThat(missing.lost()).isTrue();
	}

	@Test
	void aRegistryThatDoesNotAnswerIsOneFailureNotAProblemOfEachSchema() throws IOException {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		RegistryClient down = new RegistryClient(new RegistryProperties("http://127.0.0.1:" + closed, null, null, null, 2,
				Duration.ofMillis(10), null, null, null));
		SchemaStore schemas = new SchemaStore(new BackupStorage(this.location).backup("b"));
		String fingerprint = schemas
			.put(new StoredSchema("AVRO", record("{\"name\":\"id\",\"type\":\"long\"}"), List.of()));
		// validation checks every schema: said once, as the outage it is, rather than once per schema after its retries
		assertThatExceptionOfType(RegistryUnavailableException.class)
			.isThrownBy(() -> SchemaResolution.check(down, schemas, fingerprint, 1));
	}

	private static String record(String field) {
		return "{\"type\":\"record\",\"name\":\"Resolution\",\"namespace\":\"com.example\",\"fields\":[" + field + "]}";
	}

}
