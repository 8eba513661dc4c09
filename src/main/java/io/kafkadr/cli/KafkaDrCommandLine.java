package io.kafkadr.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import io.kafkadr.KafkaDrApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

/**
 * Runs one kafka-dr command. Arguments of the form {@code --some.property=value} are Spring
 * properties; the rest is the command and its options. Exit codes: {@value ExitCodes#OK} success,
 * {@value ExitCodes#FAILED} a job or check failed, {@value ExitCodes#USAGE} a usage or configuration
 * error (nothing was done). It never calls {@code System.exit}, so tests can run it in-process.
 */
public final class KafkaDrCommandLine {

	private KafkaDrCommandLine() {
	}

	/** The flag, taken anywhere on the command line, that adds the stack trace to an unexpected failure. */
	static final String DEBUG = "--debug";

	public static int run(String... args) {
		return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
	}

	public static int run(PrintWriter out, PrintWriter err, String... args) {
		List<String> commandArgs = new ArrayList<>();
		List<String> springArgs = new ArrayList<>();
		boolean debug = false;
		for (String arg : args) {
			if (arg.equals(DEBUG)) {
				debug = true;
				continue;
			}
			springArgs.add(arg);
			if (!isSpringProperty(arg)) {
				commandArgs.add(arg);
			}
		}
		CommandLine parser = commandLine(out, err, debug);
		CommandLine.ParseResult parsed;
		try {
			parsed = parser.parseArgs(commandArgs.toArray(String[]::new));
		}
		catch (CommandLine.ParameterException ex) {
			err.println(ex.getMessage());
			if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
				ex.getCommandLine().usage(err);
			}
			return ExitCodes.USAGE;
		}
		if (CommandLine.printHelpIfRequested(parsed) || !parsed.hasSubcommand()) {
			if (!parsed.hasSubcommand() && !parsed.isUsageHelpRequested() && !parsed.isVersionHelpRequested()) {
				parser.usage(err);
				return ExitCodes.USAGE;
			}
			return ExitCodes.OK;
		}
		Object command = parsed.subcommand().commandSpec().userObject();
		if (command instanceof CommandLine.HelpCommand) {
			return parser.execute(commandArgs.toArray(String[]::new));
		}
		ConfigurableApplicationContext context;
		try {
			for (PropertyOptions options : propertyOptions(parsed)) {
				springArgs.addAll(options.springArguments(springArgs));
			}
			context = new SpringApplicationBuilder(KafkaDrApplication.class).web(WebApplicationType.NONE)
				.logStartupInfo(false)
				.listeners(new UnknownSettings(), new SettingValues(command))
				.run(springArgs.toArray(String[]::new));
		}
		catch (UsageException ex) {
			err.println(ex.getMessage());
			return ExitCodes.USAGE;
		}
		catch (RuntimeException ex) {
			err.println("kafka-dr cannot start: " + Failures.describe(ex));
			return Failures.isConnectionRefused(ex) ? ExitCodes.UNREACHABLE : ExitCodes.USAGE;
		}
		try (context; GracefulStop stop = GracefulStop.install(context)) {
			// The commands already parsed get their collaborators: building the command model a second time, with a
			// Spring factory, created every command and its collaborators, used or not.
			for (CommandLine.ParseResult level = parsed; level != null; level = level.subcommand()) {
				context.getAutowireCapableBeanFactory().autowireBean(level.commandSpec().userObject());
			}
			return parser.execute(commandArgs.toArray(String[]::new));
		}
	}

	/** The options standing for properties of the command that runs (history show's are its own). */
	private static List<PropertyOptions> propertyOptions(CommandLine.ParseResult parsed) {
		CommandLine.ParseResult command = parsed;
		while (command.hasSubcommand()) {
			command = command.subcommand();
		}
		List<PropertyOptions> options = new ArrayList<>();
		command.commandSpec().mixins().values().forEach(mixin -> {
			if (mixin.userObject() instanceof PropertyOptions propertyOptions) {
				options.add(propertyOptions);
			}
		});
		return options;
	}

	private static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean debug) {
		CommandLine commandLine = new CommandLine(KafkaDrCommand.class);
		commandLine.setOut(out);
		commandLine.setErr(err);
		commandLine.setExecutionExceptionHandler(new CommandFailureHandler(debug));
		return commandLine;
	}

	/** {@code --name=value} where the name has a dot: a Spring property, not a command option. */
	public static boolean isSpringProperty(String arg) {
		if (!arg.startsWith("--")) {
			return false;
		}
		int equals = arg.indexOf('=');
		String name = (equals > 0) ? arg.substring(2, equals) : arg.substring(2);
		return name.contains(".");
	}

}
