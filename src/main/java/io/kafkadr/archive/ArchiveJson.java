package io.kafkadr.archive;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON settings of the backup format. Floating-point numbers are read as exact decimals so that
 * Avro floats round-trip without double rounding; the read limits are raised because a single
 * Kafka record (and so a single line) may be many megabytes.
 */
public final class ArchiveJson {

	/** The mapper every archive file is read and written with. Thread-safe. */
	public static final JsonMapper MAPPER = JsonMapper
		.builder(JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder()
				.maxStringLength(Integer.MAX_VALUE)
				.maxNestingDepth(10_000)
				.maxNumberLength(100_000)
				.maxDocumentLength(-1)
				.build())
			.build())
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
		.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
		.build();

	private ArchiveJson() {
	}

}
