package io.kafkadr.history;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The readable part of a failure as Spring Batch records it (an exit description holding stack
 * traces): the messages of the exception and its causes, without class names and stack frames.
 */
public final class FailureMessage {

	private static final Pattern EXCEPTION_PREFIX = Pattern.compile("^(Caused by: )?([\\w$]+\\.)+[\\w$]+(: |$)");

	private static final int MAX_LENGTH = 2000;

	private FailureMessage() {
	}

	/** The messages in the description, outermost first, or null when it holds none. */
	public static String from(String exitDescription) {
		if (exitDescription == null || exitDescription.isBlank()) {
			return null;
		}
		List<String> messages = new ArrayList<>();
		for (String line : exitDescription.split("\\R")) {
			String trimmed = line.strip();
			if (trimmed.isEmpty() || trimmed.startsWith("at ") || trimmed.startsWith("...")
					|| trimmed.startsWith("Suppressed:")) {
				continue;
			}
			String message = EXCEPTION_PREFIX.matcher(trimmed).replaceFirst("").strip();
			if (!message.isEmpty() && messages.stream().noneMatch(known -> known.contains(message))) {
				messages.add(message);
			}
		}
		String joined = String.join(": ", messages);
		return joined.isEmpty() ? null : (joined.length() > MAX_LENGTH) ? joined.substring(0, MAX_LENGTH) + "…" : joined;
	}

}
