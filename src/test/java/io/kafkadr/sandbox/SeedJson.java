package io.kafkadr.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/** Compact JSON as Kafka Connect's converter and the Schema Registry write it, fields in a fixed order. */
final class SeedJson {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private SeedJson() {
	}

	static byte[] bytes(Object value) {
		return MAPPER.writeValueAsBytes(value);
	}

	/** A JSON object with its fields in the given order; null values are kept, as Connect writes them. */
	static Map<String, Object> object(Object... namesAndValues) {
		Map<String, Object> object = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			object.put((String) namesAndValues[i], namesAndValues[i + 1]);
		}
		return object;
	}

}
