package io.kafkadr.kafka;

import java.time.Duration;
import java.util.List;

import io.kafkadr.execution.Poll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits, within a bound, for Kafka Connect to run every connector and every task, as it should
 * shortly after a restore has brought back its config topic.
 */
public final class ConnectHealthCheck {

	private static final Logger logger = LoggerFactory.getLogger(ConnectHealthCheck.class);

	private static final Duration FIRST_PAUSE = Duration.ofMillis(250);

	private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

	private final ConnectClient client;

	public ConnectHealthCheck(ConnectClient client) {
		this.client = client;
	}

	/**
	 * Asks Connect for its connectors until all of them and all their tasks are RUNNING, or until
	 * {@code timeout} has passed, and returns what it saw last. Never throws for Connect's sake: an
	 * unreachable or failing Connect is an unhealthy result whose problem names the URL. Refused
	 * credentials and an untrusted certificate end the wait at once, since waiting cannot fix them.
	 * The wait may overrun {@code timeout} by at most one request timeout
	 * ({@code kafka-dr.connect.request-timeout}).
	 */
	public Result awaitRunning(Duration timeout) {
		try {
			return Poll.backingOff(FIRST_PAUSE, LONGEST_PAUSE).until(timeout, () -> look(timeout),
					(notRunning) -> logger.debug("Kafka Connect at {} is not ready yet: {}", this.client.url(),
							notRunning.result.problem()));
		}
		catch (NotRunning ex) {
			if (Thread.currentThread().isInterrupted()) {
				return Result.unhealthy(ex.result.connectors(), "Interrupted while waiting for Kafka Connect at "
						+ this.client.url() + ": " + ex.result.problem());
			}
			return ex.result;
		}
	}

	/** Connect's connectors, judged; the result of an unhealthy Connect that may yet get healthy is thrown. */
	private Result look(Duration timeout) throws NotRunning {
		Result result;
		try {
			result = judge(this.client.statuses(), timeout);
		}
		catch (ConnectUnavailableException ex) {
			if (ex.waitingCannotHelp()) {
				return Result.unhealthy(List.of(), ex.getMessage());
			}
			// Connect may be restarting (connection refused) or still starting (404 until its REST resources
			// are up; 409 or 503 during a rebalance): worth asking again until the deadline.
			result = Result.unhealthy(List.of(), "Gave up after " + human(timeout) + ": " + ex.getMessage());
		}
		if (!result.healthy()) {
			throw new NotRunning(result);
		}
		return result;
	}

	private Result judge(List<ConnectorStatus> connectors, Duration timeout) {
		if (connectors.isEmpty()) {
			// After a restore of connect-configs the connectors should be there; none means something is off.
			return Result.unhealthy(connectors,
					"Kafka Connect at " + this.client.url() + " runs no connectors after " + human(timeout) + ".");
		}
		List<String> problems = connectors.stream().flatMap((connector) -> connector.problems().stream()).toList();
		if (problems.isEmpty()) {
			return new Result(true, connectors, null);
		}
		return Result.unhealthy(connectors, "Not every connector of Kafka Connect at " + this.client.url()
				+ " is RUNNING after " + human(timeout) + ": " + String.join("; ", problems) + ".");
	}

	/** {@code 2m}, {@code 10s} or {@code 1500ms}: the way the setting is written, rather than {@code PT2M}. */
	static String human(Duration duration) {
		if (duration.toMillis() % 1000 != 0) {
			return duration.toMillis() + "ms";
		}
		return (duration.toSeconds() % 60 == 0 && duration.toSeconds() > 0) ? duration.toMinutes() + "m"
				: duration.toSeconds() + "s";
	}

	/**
	 * What the check saw last.
	 *
	 * @param healthy whether every connector and every task was RUNNING, and there was at least one connector
	 * @param connectors the connectors as last seen, by name; empty when Connect could not be asked
	 * @param problem one sentence saying what is not RUNNING, or why Connect could not be asked;
	 * {@code null} when healthy
	 */
	public record Result(boolean healthy, List<ConnectorStatus> connectors, String problem) {

		public Result {
			connectors = List.copyOf(connectors);
		}

		static Result unhealthy(List<ConnectorStatus> connectors, String problem) {
			return new Result(false, connectors, problem);
		}

	}

	/** Connect does not run everything yet; what it last looked like. */
	private static final class NotRunning extends Poll.NotYet {

		private final transient Result result;

		NotRunning(Result result) {
			super(result.problem());
			this.result = result;
		}

	}

}
