package io.kafkadr.cli;

import java.net.ConnectException;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

import org.springframework.boot.context.properties.bind.BindException;

/** Short descriptions of failures for people: the chain of distinct messages, outermost first. */
final class Failures {

	private Failures() {
	}

	/** Whether something kafka-dr connects to (the job repository's database) refused the connection. */
	static boolean isConnectionRefused(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException) {
				return true;
			}
		}
		return false;
	}

	/** The operating system's words for a full disk (ENOSPC), in the messages of Java's and H2's I/O errors. */
	private static final String NO_SPACE = "No space left on device";

	/** Whether a disk filled up: ENOSPC anywhere in the failure's causes, however the layers above worded it. */
	static boolean isDiskFull(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (isDiskFull(cause.getMessage())) {
				return true;
			}
		}
		return false;
	}

	/** Whether a failure's message (as a job recorded it) says a disk filled up. */
	static boolean isDiskFull(String message) {
		return message != null && message.contains(NO_SPACE);
	}

	/**
	 * The outermost of a failure's causes that is kafka-dr's own, with a message meant for the user;
	 * null when there is none. Spring's JDBC and transaction layers wrap what the job repository's
	 * first connection throws, for one.
	 */
	static Throwable own(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause.getClass().getPackageName().startsWith("io.kafkadr") && cause.getMessage() != null) {
				return cause;
			}
		}
		return null;
	}

	/**
	 * A setting whose value could not be bound names the setting and the reason (the innermost
	 * message: the check that refused it, or the conversion that failed), not the beans that needed
	 * it; our own exceptions carry the message meant for the user; for anything else, the chain of
	 * messages.
	 */
	static String describe(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BindException bind) {
				Throwable reason = bind;
				while (reason.getCause() != null) {
					reason = reason.getCause();
				}
				return "Invalid setting under " + bind.getName() + ": "
						+ Objects.requireNonNullElse(reason.getMessage(), reason.toString());
			}
		}
		Throwable own = own(failure);
		if (own != null) {
			return own.getMessage();
		}
		Set<String> messages = new LinkedHashSet<>();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage();
			if (message != null && !message.isBlank()
					&& messages.stream().noneMatch(known -> known.contains(message))) {
				messages.add(message);
			}
		}
		return messages.isEmpty() ? failure.getClass().getName() : String.join(": ", messages);
	}

}
