package io.kafkadr.registry;

import java.time.Duration;
import java.util.List;

import io.kafkadr.sandbox.RegistrySandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Basic auth and retries, against the real registry behind a proxy that demands credentials. */
@Tag("integration")
class RegistryBehindProxyTest {

	private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Secured\",\"namespace\":\"com.example\","
			+ "\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";

	private static RegistrySandbox registry;

	private static BasicAuthProxy proxy;

	@BeforeAll
	static void start() throws Exception {
		registry = RegistrySandbox.shared();
		proxy = BasicAuthProxy.start(registry.url(), "kdr", "s3cret");
	}

	@AfterAll
	static void stop() {
		proxy.close();
	}

	@BeforeEach
	void resetProxy() {
		proxy.reset();
	}

	@Test
	void theRightCredentialsAreSentWithEveryRequest() {
		RegistryClient client = client("kdr:s3cret");

		int id = client.register("secured-value", "AVRO", SCHEMA, List.of(), null, null);

		assertThat(client.subjects(false)).contains("secured-value");
		assertThat(client.version("secured-value", 1).id()).isEqualTo(id);
		assertThat(client.schemaById(id).schema()).isEqualTo(SCHEMA);
		assertThat(client.globalCompatibility()).contains("NONE");
		assertThat(proxy.requests()).isEqualTo(5);
	}

	@Test
	void aWrongPasswordIsRefusedWithoutRetryingOrRevealingIt() {
		RegistryClient client = client("kdr:wrong-pw");

		assertThatThrownBy(() -> client.subjects(false)).isExactlyInstanceOf(RegistryException.class)
			.hasMessageContaining("refused the credentials")
			.hasMessageContaining("HTTP 401")
			.hasMessageContaining("kafka-dr.registry.basic-auth-user-info")
			.hasMessageContaining(proxy.url())
			.hasMessageNotContaining("wrong-pw")
			.hasMessageNotContaining("s3cret")
			.satisfies((ex) -> assertThat(((RegistryException) ex).status()).isEqualTo(401));
		assertThat(proxy.requests()).isEqualTo(1);
	}

	@Test
	void missingCredentialsAreAskedFor() {
		RegistryClient client = new RegistryClient(RegistryProperties.forUrl(proxy.url()));

		assertThatThrownBy(() -> client.globalMode()).isExactlyInstanceOf(RegistryException.class)
			.hasMessageContaining("requires credentials")
			.hasMessageContaining("kafka-dr.registry.basic-auth-user-info");
	}

	@Test
	void serverErrorsAndThrottlingAreRetriedUntilTheRegistryAnswers() {
		RegistryClient client = new RegistryClient(properties("kdr:s3cret").withRetries(3, Duration.ofMillis(10)));

		proxy.failNext(2, 503);
		assertThat(client.globalCompatibility()).contains("NONE");
		assertThat(proxy.requests()).isEqualTo(3);

		proxy.reset();
		proxy.failNext(2, 429);
		assertThat(client.globalMode()).contains("READWRITE");
		assertThat(proxy.requests()).isEqualTo(3);
	}

	@Test
	void serverErrorsOnEveryAttemptMakeTheRegistryUnavailable() {
		RegistryClient client = new RegistryClient(properties("kdr:s3cret").withRetries(2, Duration.ofMillis(10)));
		proxy.failNext(10, 503);

		assertThatThrownBy(() -> client.subjects(true))
			.isInstanceOfSatisfying(RegistryUnavailableException.class,
					(ex) -> assertThat(ex.attempts()).isEqualTo(2))
			.hasMessageContaining(proxy.url())
			.hasMessageContaining("GET /subjects?deleted=true")
			.hasMessageContaining("after 2 attempts")
			.hasMessageContaining("HTTP 503")
			.hasMessageContaining("check kafka-dr.registry.url and that the registry is up");
		assertThat(proxy.requests()).isEqualTo(2);
	}

	private static RegistryClient client(String userInfo) {
		return new RegistryClient(properties(userInfo));
	}

	private static RegistryProperties properties(String userInfo) {
		return RegistryProperties.forUrl(proxy.url()).withBasicAuth(userInfo);
	}

}
