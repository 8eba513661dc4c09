package io.kafkadr.testing;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** A system command that needs root (mount, umount), which CI has: it installs packages too. */
public final class RootCommand {

	private RootCommand() {
	}

	/** Runs the command and fails the test, with its output, unless it succeeds. */
	public static void run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as(String.join(" ", command) + " (needs root): " + output).isZero();
	}

}
