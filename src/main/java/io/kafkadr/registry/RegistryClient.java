package io.kafkadr.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

import static io.kafkadr.registry.RegistryHttp.segment;

/**
 * A client for the Confluent Schema Registry REST API (Confluent itself, or a compatible registry
 * such as Apicurio's {@code /apis/ccompat/v7}). Thread-safe; share one per registry.
 */
public final class RegistryClient {

	private static final String AVRO = "AVRO";

	private final RegistryHttp http;

	private volatile Optional<ApicurioRegistry> apicurio;

	public RegistryClient(RegistryProperties properties) {
		this.http = new RegistryHttp(properties);
	}

	/** Apicurio's own API, when this registry is an Apicurio Registry; asked once. */
	public Optional<ApicurioRegistry> apicurio() {
		Optional<ApicurioRegistry> found = this.apicurio;
		if (found == null) {
			found = ApicurioRegistry.beside(this.http);
			this.apicurio = found;
		}
		return found;
	}

	/** The API root this client talks to. */
	public String url() {
		return this.http.url();
	}

	public List<String> subjects(boolean includeDeleted) {
		JsonNode subjects = this.http.exchange("GET", "/subjects" + deletedQuery(includeDeleted), null);
		return subjects.values().stream().map(JsonNode::asString).toList();
	}

	public List<Integer> versions(String subject, boolean includeDeleted) {
		String path = "/subjects/" + segment(subject) + "/versions" + deletedQuery(includeDeleted);
		return this.http.exchange("GET", path, null).values().stream().map(JsonNode::asInt).toList();
	}

	/** One version of a subject; soft-deleted versions are readable too. */
	public SubjectVersion version(String subject, int version) {
		JsonNode node = this.http.exchange("GET",
				"/subjects/" + segment(subject) + "/versions/" + version + "?deleted=true", null);
		return new SubjectVersion(node.path("subject").asString(subject), node.path("version").asInt(version),
				node.path("id").asInt(), schemaType(node), schemaText(node), references(node));
	}

	/** The schema with this global id; throws {@link SchemaNotFoundException} when there is none. */
	public RegisteredSchema schemaById(int id) {
		JsonNode node = this.http.exchangeIfFound("GET", "/schemas/ids/" + id, null)
			.orElseThrow(() -> new SchemaNotFoundException(id, url(), 40403));
		return new RegisteredSchema(id, schemaType(node), schemaText(node), references(node));
	}

	/**
	 * Proves that the URL is a Confluent-compatible API that answers (its subject list), before
	 * anything is written; a URL that misses Apicurio's API path is refused naming the one to use.
	 * @throws RegistryUnavailableException when the registry does not answer
	 */
	public void checkApi() {
		if (this.http.exchangeIfFound("GET", "/subjects", null).isPresent()) {
			return;
		}
		String ccompat = url().replaceAll("/+$", "") + "/apis/ccompat/v7";
		boolean apicurio;
		try {
			apicurio = this.http.exchangeAtIfFound("GET", ccompat + "/subjects", null, null).isPresent();
		}
		catch (RegistryException ex) {
			apicurio = false;
		}
		throw new RegistryException("The schema registry at " + url() + " has no /subjects (HTTP 404): "
				+ (apicurio ? "that is an Apicurio Registry's root; set kafka-dr.registry.url=" + ccompat + ", its"
						+ " Confluent-compatible API."
						: "kafka-dr.registry.url must be the root of a Confluent-compatible Schema Registry API (for"
								+ " Apicurio, http://HOST:PORT/apis/ccompat/v7)."),
				404, 0);
	}

	public Optional<String> globalCompatibility() {
		return field("/config", "compatibilityLevel");
	}

	/** The compatibility level set on the subject itself; empty when the subject follows the global one. */
	public Optional<String> subjectCompatibility(String subject) {
		return field("/config/" + segment(subject) + "?defaultToGlobal=false", "compatibilityLevel");
	}

	public Optional<String> globalMode() {
		return field("/mode", "mode");
	}

	/** The mode set on the subject itself; empty when the subject follows the global one. */
	public Optional<String> subjectMode(String subject) {
		return field("/mode/" + segment(subject) + "?defaultToGlobal=false", "mode");
	}

	/**
	 * Registers a schema under the subject, or finds it there already, and returns its global id.
	 * @param schemaType {@code AVRO} (or {@code null}), {@code PROTOBUF} or {@code JSON}
	 * @param requestedId the id to register it under, honoured only by registries in IMPORT mode
	 * @param requestedVersion the version to register it as, honoured only by registries in IMPORT mode
	 */
	public int register(String subject, String schemaType, String schema, List<SchemaReference> references,
			Integer requestedId, Integer requestedVersion) {
		Map<String, Object> body = schemaBody(schemaType, schema, references);
		if (requestedId != null) {
			body.put("id", requestedId);
		}
		if (requestedVersion != null) {
			body.put("version", requestedVersion);
		}
		JsonNode answer = this.http.exchange("POST", "/subjects/" + segment(subject) + "/versions", body);
		if (!answer.path("id").isIntegralNumber()) {
			throw new RegistryException("The schema registry at " + url() + " registered a schema under " + subject
					+ " but did not say which id it got (answer: " + answer + ").");
		}
		return answer.path("id").asInt();
	}

	/** The global id of this exact schema if the subject has it; empty when it does not. */
	public Optional<Integer> lookupId(String subject, String schemaType, String schema,
			List<SchemaReference> references) {
		return this.http
			.exchangeIfFound("POST", "/subjects/" + segment(subject), schemaBody(schemaType, schema, references))
			.map((node) -> node.path("id").asInt());
	}

	public void setGlobalCompatibility(String level) {
		this.http.exchange("PUT", "/config", Map.of("compatibility", level));
	}

	public void setSubjectCompatibility(String subject, String level) {
		this.http.exchange("PUT", "/config/" + segment(subject), Map.of("compatibility", level));
	}

	public void setGlobalMode(String mode) {
		this.http.exchange("PUT", "/mode", Map.of("mode", mode));
	}

	public void setSubjectMode(String subject, String mode) {
		this.http.exchange("PUT", "/mode/" + segment(subject), Map.of("mode", mode));
	}

	/** Soft-deletes one version of a subject, as a restore does for versions deleted in the source. */
	public void deleteVersion(String subject, int version) {
		this.http.exchange("DELETE", "/subjects/" + segment(subject) + "/versions/" + version, null);
	}

	/** Soft-deletes a subject, as a restore does for subjects deleted in the source. */
	public void deleteSubject(String subject) {
		this.http.exchange("DELETE", "/subjects/" + segment(subject), null);
	}

	private Optional<String> field(String path, String name) {
		// Confluent answers 404 for a subject with no setting of its own; a missing field means the same.
		return this.http.exchangeIfFound("GET", path, null).flatMap((node) -> node.path(name).stringValueOpt());
	}

	private static Map<String, Object> schemaBody(String schemaType, String schema, List<SchemaReference> references) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("schema", schema);
		if (schemaType != null && !AVRO.equals(schemaType)) {
			body.put("schemaType", schemaType);
		}
		if (references != null && !references.isEmpty()) {
			body.put("references", references);
		}
		return body;
	}

	private static String deletedQuery(boolean includeDeleted) {
		return includeDeleted ? "?deleted=true" : "";
	}

	private String schemaText(JsonNode node) {
		return node.path("schema")
			.stringValueOpt()
			.orElseThrow(() -> new RegistryException(
					"The schema registry at " + url() + " answered without a \"schema\" field: " + node));
	}

	private static String schemaType(JsonNode node) {
		return node.path("schemaType").stringValueOpt().orElse(AVRO);
	}

	private static List<SchemaReference> references(JsonNode node) {
		List<SchemaReference> references = new ArrayList<>();
		for (JsonNode reference : node.path("references").values()) {
			references.add(new SchemaReference(reference.path("name").asString(), reference.path("subject").asString(),
					reference.path("version").asInt()));
		}
		return references;
	}

}
