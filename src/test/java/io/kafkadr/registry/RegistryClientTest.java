package io.kafkadr.registry;

import java.util.List;

import io.kafkadr.sandbox.RegistrySandbox;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("integration")
class RegistryClientTest {

	private static RegistrySandbox registry;

	private static RegistryClient client;

	@BeforeAll
	static void startRegistry() {
		registry = RegistrySandbox.shared();
		client = new RegistryClient(RegistryProperties.forUrl(registry.url() + "/"));
	}

	@Test
	void registersTwoVersionsOfAnAvroSchemaAndReadsThemBack() {
		String subject = "orders-value";
		String v1 = record("com.example.Order", "{\"name\":\"id\",\"type\":\"long\"}");
		String v2 = record("com.example.Order",
				"{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}");

		int id1 = client.register(subject, "AVRO", v1, List.of(), null, null);
		int id2 = client.register(subject, null, v2, List.of(), null, null);

		assertThat(id2).isNotEqualTo(id1);
		assertThat(client.url()).isEqualTo(registry.url());
		assertThat(client.subjects(false)).contains(subject);
		assertThat(client.versions(subject, false)).containsExactly(1, 2);
		assertThat(client.version(subject, 1)).isEqualTo(new SubjectVersion(subject, 1, id1, "AVRO", v1, List.of()));
		assertThat(client.version(subject, 2)).isEqualTo(new SubjectVersion(subject, 2, id2, "AVRO", v2, List.of()));
		// Registering a schema the subject already has is idempotent: same id, no new version.
		assertThat(client.register(subject, "AVRO", v1, List.of(), null, null)).isEqualTo(id1);
		assertThat(client.versions(subject, false)).containsExactly(1, 2);
		assertThat(client.lookupId(subject, "AVRO", v2, List.of())).contains(id2);
	}

	@Test
	void schemaByIdReturnsAKnownSchemaAndThrowsForAnUnknownId() {
		String schema = record("com.example.Known", "{\"name\":\"k\",\"type\":\"string\"}");
		int id = client.register("known-value", "AVRO", schema, List.of(), null, null);

		assertThat(client.schemaById(id)).isEqualTo(new RegisteredSchema(id, "AVRO", schema, List.of()));
		assertThatThrownBy(() -> client.schemaById(987654))
			.isInstanceOfSatisfying(SchemaNotFoundException.class, (ex) -> {
				assertThat(ex.id()).isEqualTo(987654);
				assertThat(ex.status()).isEqualTo(404);
			})
			.hasMessageContaining("987654")
			.hasMessageContaining(registry.url());
	}

	@Test
	void readsBackASchemaThatReferencesAnotherSubjectsSchema() {
		String address = record("com.example.Address", "{\"name\":\"city\",\"type\":\"string\"}");
		String user = record("com.example.User",
				"{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"address\",\"type\":\"com.example.Address\"}");
		List<SchemaReference> references = List.of(new SchemaReference("com.example.Address", "address-value", 1));

		client.register("address-value", "AVRO", address, List.of(), null, null);
		int userId = client.register("user-value", "AVRO", user, references, null, null);

		SubjectVersion read = client.version("user-value", 1);
		assertThat(read.id()).isEqualTo(userId);
		assertThat(read.schema()).isEqualTo(user);
		assertThat(read.references()).isEqualTo(references);
		assertThat(client.schemaById(userId).references()).isEqualTo(references);
		assertThat(client.lookupId("user-value", "AVRO", user, references)).contains(userId);
	}

	@Test
	void lookupIdIsEmptyForAnUnknownSchemaOrSubject() {
		String schema = record("com.example.Lookup", "{\"name\":\"a\",\"type\":\"int\"}");
		client.register("lookup-value", "AVRO", schema, List.of(), null, null);

		String other = record("com.example.Lookup", "{\"name\":\"b\",\"type\":\"int\"}");
		assertThat(client.lookupId("lookup-value", "AVRO", other, List.of())).isEmpty();
		assertThat(client.lookupId("no-such-subject", "AVRO", schema, List.of())).isEmpty();
	}

	@Test
	void setsAndReadsGlobalAndSubjectCompatibility() {
		client.register("compat-value", "AVRO", record("com.example.Compat", "{\"name\":\"a\",\"type\":\"int\"}"),
				List.of(), null, null);
		try {
			client.setGlobalCompatibility("FULL");
			client.setSubjectCompatibility("compat-value", "BACKWARD_TRANSITIVE");

			assertThat(client.globalCompatibility()).contains("FULL");
			assertThat(client.subjectCompatibility("compat-value")).contains("BACKWARD_TRANSITIVE");
		}
		finally {
			client.setGlobalCompatibility("NONE");
		}
	}

	@Test
	void setsAndReadsImportMode() {
		client.register("import-value", "AVRO", record("com.example.Import", "{\"name\":\"a\",\"type\":\"int\"}"),
				List.of(), null, null);
		try {
			client.setSubjectMode("import-value", "IMPORT");
			client.setGlobalMode("IMPORT");

			assertThat(client.subjectMode("import-value")).contains("IMPORT");
			assertThat(client.globalMode()).contains("IMPORT");
			// In IMPORT mode the request may carry an id and a version; Apicurio accepts but ignores them.
			String imported = record("com.example.Imported", "{\"name\":\"a\",\"type\":\"int\"}");
			int id = client.register("imported-value", "AVRO", imported, List.of(), 4242, 7);
			assertThat(client.schemaById(id).schema()).isEqualTo(imported);
		}
		finally {
			client.setGlobalMode("READWRITE");
		}
		assertThat(client.globalMode()).contains("READWRITE");
	}

	@Test
	void subjectNamesWithSlashesDotsAndOddCharactersRoundTrip() {
		List<String> names = List.of("kdr/a/b-value", "postgres.public.users-value", "odd name?#%&+=-value");
		String schema = record("com.example.Odd", "{\"name\":\"a\",\"type\":\"int\"}");
		for (String name : names) {
			int id = client.register(name, "AVRO", schema, List.of(), null, null);
			client.setSubjectCompatibility(name, "FORWARD");

			assertThat(client.versions(name, false)).containsExactly(1);
			assertThat(client.version(name, 1)).isEqualTo(new SubjectVersion(name, 1, id, "AVRO", schema, List.of()));
			assertThat(client.subjectCompatibility(name)).contains("FORWARD");
			assertThat(client.lookupId(name, "AVRO", schema, List.of())).contains(id);
		}
		assertThat(client.subjects(false)).containsAll(names);
	}

	@Test
	void aRejectedRequestNamesTheStatusTheRegistrysErrorAndTheRequest() {
		client.register("rejected-value", "AVRO", record("com.example.Rejected", "{\"name\":\"a\",\"type\":\"int\"}"),
				List.of(), null, null);

		assertThatThrownBy(() -> client.setSubjectCompatibility("rejected-value", "SOMETIMES"))
			.isExactlyInstanceOf(RegistryException.class)
			.hasMessageContaining("PUT /config/rejected-value")
			.hasMessageContaining("HTTP 422")
			.hasMessageContaining("error_code 42203")
			.hasMessageContaining("SOMETIMES")
			.satisfies((ex) -> assertThat(((RegistryException) ex).errorCode()).isEqualTo(42203));
		assertThatThrownBy(() -> client.version("never-registered-value", 1))
			.isExactlyInstanceOf(RegistryException.class)
			.hasMessageContaining("GET /subjects/never-registered-value/versions/1")
			.hasMessageContaining("HTTP 404")
			.hasMessageContaining("error_code 40401");
	}

	private static String record(String fullName, String fields) {
		int dot = fullName.lastIndexOf('.');
		return "{\"type\":\"record\",\"name\":\"" + fullName.substring(dot + 1) + "\",\"namespace\":\""
				+ fullName.substring(0, dot) + "\",\"fields\":[" + fields + "]}";
	}

}
