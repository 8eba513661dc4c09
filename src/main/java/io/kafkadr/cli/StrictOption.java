package io.kafkadr.cli;

import java.util.List;

import picocli.CommandLine.Option;

/** {@code backup --strict}: {@code kafka-dr.backup.strict=true}. */
class StrictOption implements PropertyOptions {

	@Option(names = "--strict",
			description = "Fail on a key or value of an Avro topic that cannot be decoded (an unknown schema id, bytes"
					+ " that are no datum of their schema) instead of keeping its bytes with the reason"
					+ " (kafka-dr.backup.strict).")
	boolean strict;

	@Override
	public List<String> springArguments(List<String> given) {
		if (!this.strict) {
			return List.of();
		}
		PropertyOptions.refuseBoth(given, "--strict", "kafka-dr.backup.strict");
		return List.of("--kafka-dr.backup.strict=true");
	}

}
