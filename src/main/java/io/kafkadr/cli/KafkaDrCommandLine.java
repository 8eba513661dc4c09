package io.kafkadr.cli;

/** Entry point placeholder. */
public final class KafkaDrCommandLine {

	private KafkaDrCommandLine() {
	}

	public static int run(String... args) {
		return 0;
	}

}
