package io.kafkadr.registry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import io.kafkadr.registry.RegistrySnapshot.Subject;
import io.kafkadr.registry.RegistrySnapshot.Version;
import io.kafkadr.sandbox.RegistrySandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class RegistryExporterTest {

	private static final String ALPHA = schema("Alpha", "{\"name\":\"a\",\"type\":\"int\"}");

	private static final String ALPHA_2 = schema("Alpha",
			"{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":[\"null\",\"int\"],\"default\":null}");

	private static final String ALPHA_3 = schema("Alpha",
			"{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"c\",\"type\":[\"null\",\"int\"],\"default\":null}");

	private static final String MIDDLE = schema("Middle", "{\"name\":\"alpha\",\"type\":\"com.example.Alpha\"}");

	private static final String ZETA = schema("Zeta", "{\"name\":\"z\",\"type\":\"string\"}");

	private static final String GONE = schema("Gone", "{\"name\":\"g\",\"type\":\"string\"}");

	private static final List<SchemaReference> MIDDLE_REFERENCES = List
		.of(new SchemaReference("com.example.Alpha", "alpha-value", 1));

	private static RegistrySandbox registry;

	private static RegistryClient client;

	private static int[] alphaIds;

	private static int middleId;

	private static int zetaId;

	@BeforeAll
	static void fillRegistry() throws Exception {
		registry = RegistrySandbox.start();
		client = new RegistryClient(RegistryProperties.forUrl(registry.url()));
		// Registered out of name order, so that the snapshot's order is the exporter's doing.
		zetaId = client.register("zeta-value", "AVRO", ZETA, List.of(), null, null);
		alphaIds = new int[] { client.register("alpha-value", "AVRO", ALPHA, List.of(), null, null),
				client.register("alpha-value", "AVRO", ALPHA_2, List.of(), null, null),
				client.register("alpha-value", "AVRO", ALPHA_3, List.of(), null, null) };
		middleId = client.register("middle.value", "AVRO", MIDDLE, MIDDLE_REFERENCES, null, null);
		client.setSubjectCompatibility("middle.value", "FULL");
		client.setSubjectMode("middle.value", "READONLY");
		client.register("gone-value", "AVRO", GONE, List.of(), null, null);
		// RegistryClient has no delete, so soft-delete over plain HTTP.
		delete("/subjects/alpha-value/versions/2");
		delete("/subjects/gone-value");
	}

	@AfterAll
	static void stopRegistry() {
		registry.stop();
	}

	@Test
	void snapshotHoldsEverySubjectAndVersionInOrder() {
		RegistrySnapshot snapshot = new RegistryExporter(client).export();

		assertThat(snapshot.compatibility()).isEqualTo("NONE");
		assertThat(snapshot.mode()).isEqualTo("READWRITE");
		assertThat(snapshot.subjects()).extracting(Subject::name)
			.containsExactly("alpha-value", "gone-value", "middle.value", "zeta-value");
		assertThat(snapshot.subjects().get(0)).isEqualTo(new Subject("alpha-value", false, null, null,
				List.of(new Version(1, alphaIds[0], "AVRO", ALPHA, List.of(), false),
						new Version(2, alphaIds[1], "AVRO", ALPHA_2, List.of(), true),
						new Version(3, alphaIds[2], "AVRO", ALPHA_3, List.of(), false)),
				List.of()));
		// Apicurio lists a soft-deleted subject's versions but will not return them, even with ?deleted=true.
		assertThat(snapshot.subjects().get(1))
			.isEqualTo(new Subject("gone-value", true, null, null, List.of(), List.of(1)));
		assertThat(snapshot.subjects().get(2)).isEqualTo(new Subject("middle.value", false, "FULL", "READONLY",
				List.of(new Version(1, middleId, "AVRO", MIDDLE, MIDDLE_REFERENCES, false)), List.of()));
		assertThat(snapshot.subjects().get(3)).isEqualTo(new Subject("zeta-value", false, null, null,
				List.of(new Version(1, zetaId, "AVRO", ZETA, List.of(), false)), List.of()));
		assertThat(snapshot.versionCount()).isEqualTo(5);
	}

	@Test
	void snapshotSurvivesAJsonRoundTrip() {
		RegistrySnapshot snapshot = new RegistryExporter(client).export();
		JsonMapper json = JsonMapper.builder().build();

		String text = json.writeValueAsString(snapshot);

		assertThat(json.readValue(text, RegistrySnapshot.class)).isEqualTo(snapshot);
		assertThat(text).contains("\"deleted\":true", "\"unreadableVersions\":[1]", "\"name\":\"middle.value\"");
	}

	private static void delete(String path) throws Exception {
		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create(registry.url() + path)).DELETE().build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as("DELETE %s: %s", path, response.body()).isEqualTo(200);
		}
	}

	private static String schema(String name, String fields) {
		return "{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"com.example\",\"fields\":[" + fields
				+ "]}";
	}

}
