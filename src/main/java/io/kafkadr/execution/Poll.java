package io.kafkadr.execution;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How kafka-dr waits for something to get ready: Spring's {@link RetryTemplate} looks again after
 * pauses doubling from a first to a longest, until a look returns or the deadline passes. No pause
 * runs past the deadline, so the last look is at the deadline: a wait gives up neither before its
 * timeout (as the template's own timeout does, when the next pause would cross it) nor a whole pause
 * after it.
 */
public final class Poll {

	private final Duration first;

	private final Duration longest;

	private Poll(Duration first, Duration longest) {
		this.first = first;
		this.longest = longest;
	}

	/** Pauses of the same length. */
	public static Poll every(Duration pause) {
		return new Poll(pause, pause);
	}

	/** Pauses doubling from {@code first}, at most {@code longest} each. */
	public static Poll backingOff(Duration first, Duration longest) {
		return new Poll(first, longest);
	}

	/** Like {@link #until(Duration, Look, Consumer)}, saying nothing between looks. */
	public <T, N extends NotYet> T until(Duration timeout, Look<T, N> look) throws N {
		return until(timeout, look, (notYet) -> {
		});
	}

	/**
	 * Looks until a look returns, and returns what it returned. A look that throws anything but its
	 * {@link NotYet} ends the wait with that exception.
	 * @param beforePause told the last look's {@link NotYet} before each pause (not after the last look)
	 * @throws N the last look's once the deadline has passed, or when a pause was interrupted (the
	 * thread's interrupt flag is then set)
	 */
	public <T, N extends NotYet> T until(Duration timeout, Look<T, N> look, Consumer<? super N> beforePause) throws N {
		Looks<T, N> looks = new Looks<>(look, System.nanoTime() + timeout.toNanos(), beforePause);
		try {
			return new RetryTemplate(RetryPolicy.builder().backOff(looks).predicate(NotYet.class::isInstance).build())
				.execute(looks);
		}
		catch (RetryException ex) {
			if (ex.getCause() instanceof RuntimeException unchecked) {
				throw unchecked;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw looks.last;
		}
	}

	/** One look at what a poll waits for. */
	@FunctionalInterface
	public interface Look<T, N extends NotYet> {

		/** What the poll waits for, or {@code N} saying what is still missing. */
		T look() throws N;

	}

	/**
	 * What a look throws while what it waits for is not there yet, carrying what is missing.
	 * Without a stack trace: it is thrown on every look, and a poll keeps them all until it ends.
	 */
	public static class NotYet extends Exception {

		public NotYet(String missing) {
			super(missing, null, false, false);
		}

	}

	/** One wait: the look Spring's template repeats, and the pauses between looks. */
	private final class Looks<T, N extends NotYet> implements Retryable<T>, BackOff {

		private final Look<T, N> look;

		private final long deadline;

		private final Consumer<? super N> beforePause;

		private N last;

		Looks(Look<T, N> look, long deadline, Consumer<? super N> beforePause) {
			this.look = look;
			this.deadline = deadline;
			this.beforePause = beforePause;
		}

		@Override
		@SuppressWarnings("unchecked") // a look throws only its N as a checked exception
		public T execute() throws N {
			try {
				return this.look.look();
			}
			catch (NotYet ex) {
				this.last = (N) ex;
				throw this.last;
			}
		}

		@Override
		public BackOffExecution start() {
			ExponentialBackOff doubling = new ExponentialBackOff(Poll.this.first.toMillis(), 2);
			doubling.setMaxInterval(Poll.this.longest.toMillis());
			BackOffExecution pauses = doubling.start();
			return () -> {
				long left = this.deadline - System.nanoTime();
				if (left <= 0) {
					return BackOffExecution.STOP;
				}
				this.beforePause.accept(this.last);
				// Rounded up, so that the look after the last pause is at the deadline rather than a little before it.
				return Math.min(pauses.nextBackOff(), TimeUnit.NANOSECONDS.toMillis(left + 999_999));
			};
		}

	}

}
