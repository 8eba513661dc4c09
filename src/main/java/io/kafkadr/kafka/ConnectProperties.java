package io.kafkadr.kafka;

import java.time.Duration;

import io.kafkadr.http.HttpSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Kafka Connect's REST API is and how long to wait for it ({@code kafka-dr.connect.*}).
 *
 * @param url the REST API root of any worker of the Connect cluster, for example
 * {@code http://connect:8083}; {@code null} when no Connect cluster is to be checked
 * @param basicAuthUserInfo {@code user:password} for HTTP basic auth, or {@code null} for none
 * @param timeout how long the health check waits for every connector and task to be RUNNING
 * @param requestTimeout how long to wait for one answer (and for its TCP connection)
 * @param trustStore the file of a trust store holding the CA certificate of an {@code https} REST API,
 * or {@code null} to trust the JVM's default CAs
 * @param trustStorePassword the trust store's password, or {@code null} for none
 * @param trustStoreType the trust store's type ({@code PKCS12}, {@code JKS}), or {@code null} for the
 * JVM's default type
 */
@ConfigurationProperties("kafka-dr.connect")
public record ConnectProperties(String url, String basicAuthUserInfo, @DefaultValue("2m") Duration timeout,
		@DefaultValue("10s") Duration requestTimeout, String trustStore, String trustStorePassword,
		String trustStoreType) implements HttpSettings {

	private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

	private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

	public ConnectProperties {
		url = normalizeUrl(url);
		basicAuthUserInfo = (basicAuthUserInfo == null || basicAuthUserInfo.isEmpty()) ? null : basicAuthUserInfo;
		trustStore = (trustStore == null || trustStore.isBlank()) ? null : trustStore.strip();
		trustStorePassword = (trustStorePassword == null || trustStorePassword.isEmpty()) ? null : trustStorePassword;
		trustStoreType = (trustStoreType == null || trustStoreType.isBlank()) ? null : trustStoreType.strip();
		// Direct construction (tests, other packages) gets the same defaults as binding does.
		timeout = (timeout != null) ? timeout : DEFAULT_TIMEOUT;
		requestTimeout = (requestTimeout != null) ? requestTimeout : DEFAULT_REQUEST_TIMEOUT;
	}

	/** Settings for the Connect REST API at {@code url}, with no credentials and default timeouts. */
	public static ConnectProperties forUrl(String url) {
		return new ConnectProperties(url, null, null, null, null, null, null);
	}

	/** A copy of these settings that authenticates as {@code userInfo} ({@code user:password}). */
	public ConnectProperties withBasicAuth(String userInfo) {
		return new ConnectProperties(this.url, userInfo, this.timeout, this.requestTimeout, this.trustStore,
				this.trustStorePassword, this.trustStoreType);
	}

	/** A copy of these settings that trusts the certificates of this trust store instead of the JVM's default CAs. */
	public ConnectProperties withTrustStore(String trustStore, String password, String type) {
		return new ConnectProperties(this.url, this.basicAuthUserInfo, this.timeout, this.requestTimeout, trustStore,
				password, type);
	}

	/** Whether a Connect cluster is configured at all; without one the restore checks no connectors. */
	public boolean configured() {
		return this.url != null;
	}

	@Override
	public String toString() {
		return "ConnectProperties[url=" + this.url + ", basicAuthUserInfo=" + maskedUserInfo() + ", timeout="
				+ this.timeout + ", requestTimeout=" + this.requestTimeout + ", trustStore=" + this.trustStore
				+ ", trustStorePassword=" + ((this.trustStorePassword != null) ? "****" : null) + ", trustStoreType="
				+ this.trustStoreType + "]";
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
