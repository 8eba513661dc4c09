package io.kafkadr.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import static org.assertj.core.api.Assertions.assertThat;

/** An unexpected failure is one paragraph and exit 1; its stack trace shows only with --debug. */
class CommandFailureHandlerTest {

	@Test
	void anUnexpectedFailureHidesItsStackTraceUnlessAskedFor() {
		StringWriter quiet = new StringWriter();
		assertThat(run(false, quiet)).isEqualTo(ExitCodes.FAILED);
		assertThat(quiet.toString()).contains("kafka-dr failing failed: the index is gone", "with --debug")
			.doesNotContain("\tat ");

		StringWriter debug = new StringWriter();
		assertThat(run(true, debug)).isEqualTo(ExitCodes.FAILED);
		assertThat(debug.toString()).contains("kafka-dr failing failed: the index is gone", "\tat ")
			.doesNotContain("with --debug");
	}

	@Test
	void debugIsTakenAnywhereOnTheCommandLineAndIsNoSpringProperty() {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		int exit = KafkaDrCommandLine.run(new PrintWriter(out, true), new PrintWriter(err, true), "--debug", "help",
				"backup");
		assertThat(exit).as(err.toString()).isZero();
		assertThat(out.toString()).contains("Usage: kafka-dr backup");
	}

	private static int run(boolean debug, StringWriter err) {
		CommandLine commandLine = new CommandLine(new Failing());
		commandLine.setErr(new PrintWriter(err, true));
		commandLine.setExecutionExceptionHandler(new CommandFailureHandler(debug));
		return commandLine.execute();
	}

	/** A command that fails the way no one planned for. */
	@Command(name = "failing")
	static final class Failing implements Callable<Integer> {

		@Override
		public Integer call() {
			throw new IllegalStateException("the index is gone");
		}

	}

}
