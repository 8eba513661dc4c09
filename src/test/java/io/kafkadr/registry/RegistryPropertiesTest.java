package io.kafkadr.registry;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RegistryPropertiesTest {

	@Test
	void bindsWithDefaultsAndToleratesATrailingSlash() {
		RegistryProperties properties = bind(Map.of("kafka-dr.registry.url", "http://registry:8081/"));

		assertThat(properties).isEqualTo(new RegistryProperties("http://registry:8081", null, Duration.ofSeconds(10),
				Duration.ofSeconds(30), 5, Duration.ofMillis(500), null, null, null));
		assertThat(RegistryProperties.forUrl("http://registry:8081/")).isEqualTo(properties);
	}

	@Test
	void bindsEverySetting() {
		RegistryProperties properties = bind(Map.of("kafka-dr.registry.url", "http://apicurio:8080/apis/ccompat/v7",
				"kafka-dr.registry.basic-auth-user-info", "kdr:s3cret", "kafka-dr.registry.connect-timeout", "2s",
				"kafka-dr.registry.request-timeout", "1m", "kafka-dr.registry.max-attempts", "2",
				"kafka-dr.registry.initial-backoff", "10ms", "kafka-dr.registry.trust-store", "/etc/kafka-dr/tls/ca.p12",
				"kafka-dr.registry.trust-store-password", "trust-pw", "kafka-dr.registry.trust-store-type", "JKS"));

		assertThat(properties).isEqualTo(new RegistryProperties("http://apicurio:8080/apis/ccompat/v7", "kdr:s3cret",
				Duration.ofSeconds(2), Duration.ofMinutes(1), 2, Duration.ofMillis(10), "/etc/kafka-dr/tls/ca.p12",
				"trust-pw", "JKS"));
	}

	@Test
	void toStringMasksThePassword() {
		RegistryProperties properties = RegistryProperties.forUrl("http://registry:8081").withBasicAuth("kdr:s3cret");

		assertThat(properties.toString()).contains("http://registry:8081", "kdr:****").doesNotContain("s3cret");
		assertThat(properties.withBasicAuth("s3cret").toString()).doesNotContain("s3cret");
		assertThat(properties.withTrustStore("/tls/ca.p12", "trust-pw", null).toString()).contains("/tls/ca.p12")
			.doesNotContain("trust-pw");
	}

	@Test
	void aClientNeedsAUrlWithoutCredentialsInIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RegistryClient(bind(Map.of())))
			.withMessageContaining("kafka-dr.registry.url");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RegistryClient(RegistryProperties.forUrl("http://kdr:s3cret@registry:8081")))
			.withMessageContaining("kafka-dr.registry.basic-auth-user-info")
			.withMessageNotContaining("s3cret");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RegistryProperties.forUrl("http://registry:8081").withRetries(0, Duration.ZERO))
			.withMessageContaining("kafka-dr.registry.max-attempts");
	}

	private static RegistryProperties bind(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings))
			.bindOrCreate("kafka-dr.registry", RegistryProperties.class);
	}

}
