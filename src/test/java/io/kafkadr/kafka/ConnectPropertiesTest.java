package io.kafkadr.kafka;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ConnectPropertiesTest {

	@Test
	void isNotConfiguredUntilAUrlIsSet() {
		ConnectProperties properties = bind(Map.of());

		assertThat(properties.configured()).isFalse();
		assertThat(properties).isEqualTo(new ConnectProperties(null, null, Duration.ofMinutes(2), Duration.ofSeconds(10), null, null,
				null));
		assertThat(bind(Map.of("kafka-dr.connect.url", " ")).configured()).isFalse();
	}

	@Test
	void bindsEverySettingAndToleratesATrailingSlash() {
		ConnectProperties properties = bind(Map.of("kafka-dr.connect.url", "http://connect:8083/",
				"kafka-dr.connect.basic-auth-user-info", "kdr:s3cret", "kafka-dr.connect.timeout", "30s",
				"kafka-dr.connect.request-timeout", "2s", "kafka-dr.connect.trust-store", "/etc/kafka-dr/tls/ca.p12",
				"kafka-dr.connect.trust-store-password", "trust-pw", "kafka-dr.connect.trust-store-type", "JKS"));

		assertThat(properties).isEqualTo(new ConnectProperties("http://connect:8083",
				"kdr:s3cret", Duration.ofSeconds(30), Duration.ofSeconds(2), "/etc/kafka-dr/tls/ca.p12", "trust-pw", "JKS"));
		assertThat(properties.configured()).isTrue();
		assertThat(ConnectProperties.forUrl("http://connect:8083/")).isEqualTo(
				new ConnectProperties("http://connect:8083", null, Duration.ofMinutes(2), Duration.ofSeconds(10), null,
						null, null));
	}

	@Test
	void toStringHidesThePassword() {
		ConnectProperties properties = ConnectProperties.forUrl("http://connect:8083").withBasicAuth("kdr:s3cret");

		assertThat(properties.toString()).contains("http://connect:8083", "kdr:****", "PT2M")
			.doesNotContain("s3cret");
		assertThat(properties.withBasicAuth("s3cret").toString()).contains("****").doesNotContain("s3cret");
		assertThat(properties.withTrustStore("/tls/ca.p12", "trust-pw", null).toString()).contains("/tls/ca.p12")
			.doesNotContain("trust-pw");
	}

	@Test
	void aClientNeedsAUrlWithoutCredentialsInIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> new ConnectClient(bind(Map.of())))
			.withMessage("No Kafka Connect configured: set kafka-dr.connect.url");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ConnectClient(ConnectProperties.forUrl("http://kdr:s3cret@connect:8083")))
			.withMessageContaining("kafka-dr.connect.basic-auth-user-info")
			.withMessageNotContaining("s3cret");
	}

	private static ConnectProperties bind(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("kafka-dr.connect",
				ConnectProperties.class);
	}

}
