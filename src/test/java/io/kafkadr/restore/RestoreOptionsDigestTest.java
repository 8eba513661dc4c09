package io.kafkadr.restore;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The options' digest identifies a restore's job instance across releases: it must not change for
 * the same options, also when they were written by a release that lacked a later option.
 */
class RestoreOptionsDigestTest {

	/** As a release before allowNewSchemaIds wrote the defaults; what the job repository holds for them. */
	private static final String DEFAULTS_JSON = """
			{"topics":null,"renames":{},"until":null,"intoExistingTopics":false,"retention":"keep","registryMode":"api"}""";

	@Test
	void theDefaultsKeepTheirJsonAndSoTheirDigest() {
		RestoreOptions defaults = new RestoreOptions(null, Map.of(), null, false, null, null, null);
		assertThat(defaults.toJson()).isEqualTo(DEFAULTS_JSON);
		assertThat(new RestoreOptions(null, Map.of(), null, false, null, null, false, false).toJson())
			.as("options added later are left out while they have their defaults")
			.isEqualTo(DEFAULTS_JSON);
		assertThat(RestoreOptions.fromJson(DEFAULTS_JSON).digest()).isEqualTo(defaults.digest());
		assertThat(defaults.digest()).matches("[0-9a-f]{64}");
	}

	@Test
	void equalOptionsShareADigestAndAnyDifferenceChangesIt() {
		RestoreOptions options = new RestoreOptions("orders.*", Map.of("orders", "orders-restored", "a", "b"),
				Instant.parse("2026-12-01T00:00:00Z"), false, null, null, null);
		RestoreOptions sameInOtherOrder = new RestoreOptions("orders.*", Map.of("a", "b", "orders", "orders-restored"),
				Instant.parse("2026-12-01T00:00:00Z"), false, RestoreOptions.Retention.keep, RestoreOptions.RegistryMode.api,
				false);
		assertThat(sameInOtherOrder.digest()).isEqualTo(options.digest());
		assertThat(RestoreOptions.fromJson(options.toJson()).digest()).isEqualTo(options.digest());
		for (RestoreOptions other : new RestoreOptions[] {
				new RestoreOptions(null, options.renames(), options.until(), false, null, null, null),
				new RestoreOptions(options.topics(), Map.of("orders", "orders-restored"), options.until(), false, null, null,
						null),
				new RestoreOptions(options.topics(), options.renames(), null, false, null, null, null),
				new RestoreOptions(options.topics(), options.renames(), options.until(), true, null, null, null),
				new RestoreOptions(options.topics(), options.renames(), options.until(), false,
						RestoreOptions.Retention.suspend, null, null),
				new RestoreOptions(options.topics(), options.renames(), options.until(), false, null,
						RestoreOptions.RegistryMode.topic, null),
				new RestoreOptions(options.topics(), options.renames(), options.until(), false, null, null, true),
				new RestoreOptions(options.topics(), options.renames(), options.until(), false, null, null, null, true) }) {
			assertThat(other.digest()).as(other.toJson()).isNotEqualTo(options.digest());
		}
	}

}
