package io.kafkadr.registry;

import java.time.Duration;

import io.kafkadr.http.HttpSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the schema registry is and how hard to try reaching it ({@code kafka-dr.registry.*}).
 *
 * @param url the Confluent-compatible API root, for example {@code http://registry:8081} or
 * {@code http://apicurio:8080/apis/ccompat/v7}; {@code null} when no registry is configured
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or {@code null} for none
 * @param connectTimeout how long to wait for a TCP connection
 * @param requestTimeout how long to wait for a whole answer
 * @param maxAttempts how many times to send a request that fails with a connection error, a
 * timeout, HTTP 5xx or 429
 * @param initialBackoff the pause after the first failed attempt; it doubles after each further one
 * @param trustStore the file of a trust store holding the CA certificate of an {@code https} registry,
 * or {@code null} to trust the JVM's default CAs
 * @param trustStorePassword the trust store's password, or {@code null} for none
 * @param trustStoreType the trust store's type ({@code PKCS12}, {@code JKS}), or {@code null} for the
 * JVM's default type
 */
@ConfigurationProperties("kafka-dr.registry")
public record RegistryProperties(String url, String basicAuthUserInfo,
		@DefaultValue("10s") Duration connectTimeout, @DefaultValue("30s") Duration requestTimeout,
		@DefaultValue("5") int maxAttempts, @DefaultValue("500ms") Duration initialBackoff, String trustStore,
		String trustStorePassword, String trustStoreType) implements HttpSettings {

	private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private static final int DEFAULT_MAX_ATTEMPTS = 5;

	private static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);

	public RegistryProperties {
		url = normalizeUrl(url);
		basicAuthUserInfo = (basicAuthUserInfo == null || basicAuthUserInfo.isEmpty()) ? null : basicAuthUserInfo;
		trustStore = (trustStore == null || trustStore.isBlank()) ? null : trustStore.strip();
		trustStorePassword = (trustStorePassword == null || trustStorePassword.isEmpty()) ? null : trustStorePassword;
		trustStoreType = (trustStoreType == null || trustStoreType.isBlank()) ? null : trustStoreType.strip();
		// Direct construction (tests, other packages) gets the same defaults as binding does.
		connectTimeout = (connectTimeout != null) ? connectTimeout : DEFAULT_CONNECT_TIMEOUT;
		requestTimeout = (requestTimeout != null) ? requestTimeout : DEFAULT_REQUEST_TIMEOUT;
		initialBackoff = (initialBackoff != null) ? initialBackoff : DEFAULT_INITIAL_BACKOFF;
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("kafka-dr.registry.max-attempts must be at least 1, not " + maxAttempts);
		}
	}

	/** Settings for the registry at {@code url}, with no credentials and default timeouts and retries. */
	public static RegistryProperties forUrl(String url) {
		return new RegistryProperties(url, null, null, null, DEFAULT_MAX_ATTEMPTS, null, null, null, null);
	}

	/** A copy of these settings that authenticates as {@code userInfo} ({@code user:password}). */
	public RegistryProperties withBasicAuth(String userInfo) {
		return new RegistryProperties(this.url, userInfo, this.connectTimeout, this.requestTimeout, this.maxAttempts,
				this.initialBackoff, this.trustStore, this.trustStorePassword, this.trustStoreType);
	}

	/** A copy of these settings that trusts the certificates of this trust store instead of the JVM's default CAs. */
	public RegistryProperties withTrustStore(String trustStore, String password, String type) {
		return new RegistryProperties(this.url, this.basicAuthUserInfo, this.connectTimeout, this.requestTimeout,
				this.maxAttempts, this.initialBackoff, trustStore, password, type);
	}

	/** A copy of these settings with other retry limits. */
	public RegistryProperties withRetries(int maxAttempts, Duration initialBackoff) {
		return new RegistryProperties(this.url, this.basicAuthUserInfo, this.connectTimeout, this.requestTimeout,
				maxAttempts, initialBackoff, this.trustStore, this.trustStorePassword, this.trustStoreType);
	}

	@Override
	public String toString() {
		return "RegistryProperties[url=" + this.url + ", basicAuthUserInfo=" + maskedUserInfo() + ", connectTimeout="
				+ this.connectTimeout + ", requestTimeout=" + this.requestTimeout + ", maxAttempts=" + this.maxAttempts
				+ ", initialBackoff=" + this.initialBackoff + ", trustStore=" + this.trustStore + ", trustStorePassword="
				+ ((this.trustStorePassword != null) ? "****" : null) + ", trustStoreType=" + this.trustStoreType + "]";
	}

	private String maskedUserInfo() {
		if (this.basicAuthUserInfo == null) {
			return null;
		}
		int colon = this.basicAuthUserInfo.indexOf(':');
		return (colon < 0) ? "****" : this.basicAuthUserInfo.substring(0, colon) + ":****";
	}

	private static String normalizeUrl(String url) {
		if (url == null || url.isBlank()) {
			return null;
		}
		String trimmed = url.strip();
		while (trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		return trimmed;
	}

}
