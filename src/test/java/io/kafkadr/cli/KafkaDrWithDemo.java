package io.kafkadr.cli;

import java.io.PrintWriter;
import java.util.Arrays;

import picocli.CommandLine;

/**
 * kafka-dr's command line with the {@code demo} command added, which is what
 * {@code ./mvnw spring-boot:run} starts: the demo needs the sandbox broker and registry, which live
 * with the tests so that the production jar carries no broker.
 */
public final class KafkaDrWithDemo {

	private KafkaDrWithDemo() {
	}

	public static void main(String[] args) {
		System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
	}

	/** Runs {@code demo [options]} itself and every other command as the production jar does. */
	public static int run(PrintWriter out, PrintWriter err, String... args) {
		if (args.length == 0 || !args[0].equals("demo")) {
			return KafkaDrCommandLine.run(out, err, args);
		}
		CommandLine demo = new CommandLine(new DemoCommand());
		demo.setOut(out);
		demo.setErr(err);
		return demo.execute(Arrays.copyOfRange(args, 1, args.length));
	}

}
