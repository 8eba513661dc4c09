package io.kafkadr.progress;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The interactive terminal standard error is written to, if it is one: what the live display
 * draws on, and its size.
 *
 * <p>{@link System#console()} cannot tell: it describes standard input and output (JDK 22's
 * {@code Console.isTerminal()} too), so it says "terminal" for {@code kafka-dr backup 2>backup.log}
 * and nothing for {@code kafka-dr backup >result.txt}, the very cases where standard error is
 * redirected, or is the terminal. On Linux, {@code /proc/self/fd/2} names what standard error is
 * (a pipe, a file, {@code /dev/pts/3}); elsewhere the console's own test is the best there is.
 */
final class Terminal {

	private static final Path STANDARD_ERROR = Path.of("/proc/self/fd/2");

	/**
	 * The width when neither {@code stty} nor the environment gives one: a common terminal window's. A
	 * narrower terminal cuts the lines (the display draws with autowrap off), it does not wrap them.
	 */
	static final int DEFAULT_WIDTH = 120;

	private final Path device;

	private final Map<String, String> environment;

	private Terminal(Path device, Map<String, String> environment) {
		this.device = device;
		this.environment = environment;
	}

	/**
	 * Standard error's terminal, unless it is not one, or {@code TERM} says that it cannot move its
	 * cursor (unset, as under cron or in a CI runner, or {@code dumb}, as in Emacs' shell).
	 */
	static Optional<Terminal> standardError(Map<String, String> environment) {
		String term = environment.getOrDefault("TERM", "");
		if (term.isBlank() || term.equals("dumb") || System.getProperty("os.name", "").startsWith("Windows")) {
			// Windows' console moves the cursor on escape codes only once a program has asked it to, which Java does not.
			return Optional.empty();
		}
		if (Files.isDirectory(STANDARD_ERROR.getParent())) {
			try {
				String target = Files.readSymbolicLink(STANDARD_ERROR).toString();
				return (target.startsWith("/dev/pts/") || target.startsWith("/dev/tty"))
						? Optional.of(new Terminal(Path.of(target), environment)) : Optional.empty();
			}
			catch (IOException | UnsupportedOperationException ex) {
				return Optional.empty();
			}
		}
		return consoleIsTerminal() ? Optional.of(new Terminal(Path.of("/dev/tty"), environment)) : Optional.empty();
	}

	/**
	 * JDK 22 and later return a console even without a terminal and say which with
	 * {@code isTerminal()}; JDK 21 returns none then. Called reflectively: kafka-dr runs on 21.
	 */
	private static boolean consoleIsTerminal() {
		Console console = System.console();
		if (console == null) {
			return false;
		}
		try {
			return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
		}
		catch (NoSuchMethodException ex) {
			return true;
		}
		catch (ReflectiveOperationException ex) {
			return false;
		}
	}

	/**
	 * Its columns and lines as {@code stty size} reads them from the device (0 lines when unknown),
	 * else {@code COLUMNS} and {@code LINES}, else {@value #DEFAULT_WIDTH} columns. Asked again now
	 * and then: a terminal window can be resized while the display shows.
	 */
	Size size() {
		Size size = stty();
		if (size.columns() > 0) {
			return size;
		}
		return new Size(number(this.environment.get("COLUMNS"), DEFAULT_WIDTH), number(this.environment.get("LINES"), 0));
	}

	private Size stty() {
		try {
			Process stty = new ProcessBuilder("stty", "size").redirectInput(this.device.toFile())
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!stty.waitFor(2, TimeUnit.SECONDS)) {
				stty.destroyForcibly();
				return new Size(0, 0);
			}
			// "lines columns"; "0 0" for a pseudo-terminal nobody gave a size (script(1)'s, itself run without one)
			String output = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			String[] size = output.trim().split("\\s+");
			return (size.length == 2) ? new Size(number(size[1], 0), number(size[0], 0)) : new Size(0, 0);
		}
		catch (IOException ex) {
			return new Size(0, 0);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Size(0, 0);
		}
	}

	private static int number(String text, int otherwise) {
		try {
			int number = (text != null) ? Integer.parseInt(text.trim()) : otherwise;
			return (number > 0) ? number : otherwise;
		}
		catch (NumberFormatException ex) {
			return otherwise;
		}
	}

	/** Columns and lines; 0 lines when unknown. */
	record Size(int columns, int lines) {
	}

}
