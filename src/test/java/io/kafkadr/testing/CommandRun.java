package io.kafkadr.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.kafkadr.cli.KafkaDrCommandLine;

/** Runs a kafka-dr command in this JVM and keeps its exit code and output. */
public record CommandRun(int exitCode, String out, String err) {

	public static CommandRun of(List<String> properties, String... command) {
		StringWriter out = new StringWriter();
		StringWriter err = new StringWriter();
		List<String> args = new ArrayList<>(Arrays.asList(command));
		args.addAll(properties);
		int exitCode = KafkaDrCommandLine.run(new PrintWriter(out, true), new PrintWriter(err, true),
				args.toArray(String[]::new));
		return new CommandRun(exitCode, out.toString(), err.toString());
	}

	@Override
	public String toString() {
		return "exit " + this.exitCode + "\n--- out ---\n" + this.out + "\n--- err ---\n" + this.err;
	}

}
