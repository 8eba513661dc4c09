package io.kafkadr.storage;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Parsing {@code s3://BUCKET/PREFIX} storage locations. */
class S3LocationTest {

	@Test
	void aBucketAloneHasAnEmptyPrefix() {
		assertThat(S3Location.parse("s3://backups")).isEqualTo(new S3Location("backups", ""));
		assertThat(S3Location.parse("s3://backups/")).isEqualTo(new S3Location("backups", ""));
	}

	@Test
	void aPrefixEndsInASlash() {
		S3Location expected = new S3Location("my.backups-1", "kafka/prod/");
		assertThat(S3Location.parse("s3://my.backups-1/kafka/prod")).isEqualTo(expected);
		assertThat(S3Location.parse("s3://my.backups-1/kafka/prod/")).isEqualTo(expected);
	}

	@Test
	void keysAndUrisArePrefixed() {
		S3Location location = S3Location.parse("s3://backups/kafka");
		assertThat(location.key("2026-11-25T14-05-09Z/manifest.json"))
			.isEqualTo("kafka/2026-11-25T14-05-09Z/manifest.json");
		assertThat(location.uri("a/b")).isEqualTo("s3://backups/kafka/a/b");
		assertThat(location).hasToString("s3://backups/kafka/");
		assertThat(S3Location.parse("s3://backups").uri("a")).isEqualTo("s3://backups/a");
	}

	@Test
	void anotherSchemeIsRefusedNamingTheForm() {
		for (String value : List.of("backups", "/var/backups", "S3://backups", "s3:/backups", "https://backups")) {
			assertThatExceptionOfType(StorageException.class).isThrownBy(() -> S3Location.parse(value))
				.withMessageContaining("'" + value + "'")
				.withMessageContaining("does not begin with s3://")
				.withMessageContaining("s3://BUCKET or s3://BUCKET/PREFIX");
		}
	}

	@Test
	void aMissingOrInvalidBucketIsRefused() {
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> S3Location.parse("s3://"))
			.withMessageContaining("'s3://'")
			.withMessageContaining("names no bucket")
			.withMessageContaining("s3://BUCKET or s3://BUCKET/PREFIX");
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> S3Location.parse("s3:///prefix"))
			.withMessageContaining("names no bucket");
		for (String bucket : List.of("Backups", "ab", "my_backups", "-backups", "backups-", "a".repeat(64))) {
			assertThatExceptionOfType(StorageException.class)
				.isThrownBy(() -> S3Location.parse("s3://" + bucket + "/x"))
				.withMessageContaining("'s3://" + bucket + "/x'")
				.withMessageContaining("'" + bucket + "' is not an S3 bucket name")
				.withMessageContaining("s3://BUCKET or s3://BUCKET/PREFIX");
		}
	}

	@Test
	void aPrefixWithAnEmptyOrRelativePartIsRefused() {
		for (String value : List.of("s3://backups//x", "s3://backups/a//b", "s3://backups/./a", "s3://backups/a/..",
				"s3://backups/a/../b/")) {
			assertThatExceptionOfType(StorageException.class).isThrownBy(() -> S3Location.parse(value))
				.withMessageContaining("'" + value + "'")
				.withMessageContaining("an empty, '.' or '..' part");
		}
	}

}
