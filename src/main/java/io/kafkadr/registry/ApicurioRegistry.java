package io.kafkadr.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * Apicurio Registry's own API ({@code /apis/registry/v3}), beside the Confluent-compatible one
 * kafka-dr is configured with ({@code …/apis/ccompat/v7}). Two things need it: ids that only it
 * resolves (global and content ids, which Apicurio's serializers write), and its admin export and
 * import, the only way Apicurio keeps a schema's ids when it moves to another registry (its
 * Confluent API accepts IMPORT mode and then assigns ids of its own).
 */
public final class ApicurioRegistry {

	private static final String CCOMPAT = "/apis/ccompat/";

	private static final int PAGE = 500;

	private final RegistryHttp http;

	private final String base;

	private ApicurioRegistry(RegistryHttp http, String base) {
		this.http = http;
		this.base = base;
	}

	/**
	 * Apicurio's own API beside the given Confluent-compatible one, when the registry is an Apicurio
	 * Registry 3 (its {@code system/info} answers); empty for any other registry.
	 */
	static Optional<ApicurioRegistry> beside(RegistryHttp http) {
		String url = http.url();
		int ccompat = url.indexOf(CCOMPAT);
		if (ccompat < 0) {
			return Optional.empty();
		}
		ApicurioRegistry registry = new ApicurioRegistry(http, url.substring(0, ccompat) + "/apis/registry/v3");
		try {
			return registry.http.exchangeAtIfFound("GET", registry.base + "/system/info", null, null)
				.filter(info -> info.path("name").asString("").startsWith("Apicurio"))
				.map(info -> registry);
		}
		catch (RegistryException ex) {
			return Optional.empty();
		}
	}

	/** The root of the registry's own API. */
	public String url() {
		return this.base;
	}

	/** The registry's admin export: a zip of every group, artifact, version and content with their ids. */
	public byte[] export() {
		return this.http.download(this.base + "/admin/export");
	}

	/**
	 * Imports an admin export. An empty registry takes its global and content ids as they are;
	 * {@code requireEmpty} false lets a registry that holds other schemas import it, where Apicurio
	 * silently skips whatever clashes, so callers check the ids first.
	 */
	public void importExport(byte[] export, boolean requireEmpty) {
		this.http.exchangeAtIfFound("POST", this.base + "/admin/import?requireEmptyRegistry=" + requireEmpty, export,
				"application/zip");
	}

	/** Every artifact version the registry holds, with its ids. */
	public List<ArtifactVersion> versions() {
		List<ArtifactVersion> versions = new ArrayList<>();
		for (int offset = 0;; offset += PAGE) {
			List<ArtifactVersion> page = search("offset=" + offset + "&limit=" + PAGE);
			versions.addAll(page);
			if (page.size() < PAGE) {
				return versions;
			}
		}
	}

	/** The version with this global id. */
	public Optional<ArtifactVersion> byGlobalId(long globalId) {
		return search("globalId=" + globalId + "&limit=1").stream().findFirst();
	}

	/** A version (the first of possibly several) whose content has this id. */
	public Optional<ArtifactVersion> byContentId(long contentId) {
		return search("contentId=" + contentId + "&limit=1").stream().findFirst();
	}

	private List<ArtifactVersion> search(String query) {
		JsonNode answer = this.http.exchangeAtIfFound("GET", this.base + "/search/versions?" + query, null, null)
			.orElseThrow(() -> new RegistryException("The registry at " + this.base + " has no version search", 404, 0));
		List<ArtifactVersion> versions = new ArrayList<>();
		for (JsonNode version : answer.path("versions")) {
			JsonNode group = version.path("groupId");
			versions.add(new ArtifactVersion((group.isString() && !group.stringValue().isEmpty()) ? group.stringValue() : "default",
					version.path("artifactId").asString(), version.path("version").asString(),
					version.path("globalId").asLong(), version.path("contentId").asLong()));
		}
		return versions;
	}

	/**
	 * An artifact version: in the default group an artifact is what the Confluent API calls a
	 * subject, and its version a subject version.
	 */
	public record ArtifactVersion(String groupId, String artifactId, String version, long globalId, long contentId) {

		/** Whether the Confluent-compatible API shows this version as {@code subject/version}. */
		public boolean isSubjectVersion() {
			return "default".equals(this.groupId) && this.version.chars().allMatch(Character::isDigit);
		}

	}

}
