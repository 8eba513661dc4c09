package io.kafkadr.archive;

import java.time.Duration;
import java.util.Map;

import io.kafkadr.encryption.KeyRing;
import io.kafkadr.storage.StorageException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** {@code kafka-dr.storage.*} as Spring Boot binds it: the S3 lock's lease, its default and its floor. */
class StoragePropertiesTest {

	private static final String S3 = "s3://kafka-dr-backups/nightly";

	@Test
	void theLockLeaseIsThirtySecondsUnlessSet() {
		assertThat(bind(Map.of("kafka-dr.storage.location", S3)).s3().lockLease()).isEqualTo(Duration.ofSeconds(30));
		assertThat(bind(Map.of("kafka-dr.storage.location", S3, "kafka-dr.storage.s3.lock-lease", "2m")).s3().lockLease())
			.isEqualTo(Duration.ofMinutes(2));
	}

	@Test
	void aLockLeaseShorterThanTheMinimumIsRefused() {
		StorageProperties properties = bind(Map.of("kafka-dr.storage.location", S3, "kafka-dr.storage.s3.endpoint",
				"http://127.0.0.1:9000", "kafka-dr.storage.s3.lock-lease", "1s"));

		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> properties.storage(KeyRing.NONE))
			.withMessageContaining("kafka-dr.storage.s3.lock-lease is 1000 ms")
			.withMessageContaining("at least 3 s");
	}

	private static StorageProperties bind(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings)).bind("kafka-dr.storage", StorageProperties.class)
			.get();
	}

}
