package io.kafkadr.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.kafkadr.sandbox.RegistrySandbox;
import io.kafkadr.sandbox.SandboxTls;
import io.kafkadr.testing.SelfSignedTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The real registry served over HTTPS with a self-signed certificate: trusted through
 * {@code kafka-dr.registry.trust-store}, refused at once (no retries) without it, with a message
 * that names the trust problem and the setting.
 */
@Tag("integration")
class RegistryOverHttpsTest {

	private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"OverTls\",\"namespace\":\"com.example\","
			+ "\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";

	@TempDir
	static Path certificates;

	private static SandboxTls tls;

	private static RegistrySandbox registry;

	@BeforeAll
	static void start() {
		tls = SelfSignedTls.create(certificates, "trust-Store-pw");
		registry = RegistrySandbox.start(tls);
	}

	@AfterAll
	static void stop() {
		registry.close();
	}

	@Test
	void theTrustStoreMakesTheRegistryTrusted() {
		assertThat(registry.url()).startsWith("https://localhost:");
		RegistryClient client = new RegistryClient(RegistryProperties.forUrl(registry.url())
			.withTrustStore(tls.trustStore().toString(), tls.password(), "PKCS12"));

		int id = client.register("over-tls-value", "AVRO", SCHEMA, List.of(), null, null);

		assertThat(client.subjects(false)).contains("over-tls-value");
		assertThat(client.schemaById(id).schema()).isEqualTo(SCHEMA);
	}

	@Test
	void withoutTheTrustStoreTheHandshakeFailsOnceNamingTheSetting() {
		RegistryClient client = new RegistryClient(RegistryProperties.forUrl(registry.url()));

		assertThatThrownBy(() -> client.subjects(false)).isExactlyInstanceOf(RegistryException.class)
			.hasMessageContaining("The schema registry at " + registry.url() + " failed the TLS handshake")
			.hasMessageContaining("the JVM's default CAs")
			.hasMessageContaining("PKIX")
			.hasMessageContaining("Set kafka-dr.registry.trust-store")
			.hasMessageNotContaining("attempts");
	}

	@Test
	void aTrustStoreWithoutTheRegistrysCertificateIsNamed(@TempDir Path other) {
		SandboxTls stranger = SelfSignedTls.create(other, "other-pw");
		RegistryClient client = new RegistryClient(RegistryProperties.forUrl(registry.url())
			.withTrustStore(stranger.trustStore().toString(), stranger.password(), null));

		assertThatThrownBy(() -> client.globalMode()).isExactlyInstanceOf(RegistryException.class)
			.hasMessageContaining("the trust store " + stranger.trustStore() + " (kafka-dr.registry.trust-store)");
	}

	@Test
	void anUnreadableTrustStoreIsAConfigurationErrorThatKeepsThePasswordToItself() throws Exception {
		RegistryProperties wrongPassword = RegistryProperties.forUrl(registry.url())
			.withTrustStore(tls.trustStore().toString(), "not-the-store-pw", "PKCS12");
		assertThatIllegalArgumentException().isThrownBy(() -> new RegistryClient(wrongPassword))
			.withMessageContaining(tls.trustStore().toString())
			.withMessageContaining("kafka-dr.registry.trust-store-password")
			.withMessageNotContaining("not-the-store-pw");

		Path missing = certificates.resolve("missing.p12");
		assertThat(Files.exists(missing)).isFalse();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RegistryClient(RegistryProperties.forUrl(registry.url())
				.withTrustStore(missing.toString(), tls.password(), null)))
			.withMessageContaining("kafka-dr.registry.trust-store names " + missing + ", which does not exist");
	}

}
