package io.kafkadr.restore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.kafkadr.archive.SchemaStore;
import io.kafkadr.execution.Poll;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code waitForRegistry} step: polls the target registry, with backoff, until every writer
 * schema of the backup resolves under its target id to the same schema ({@link SchemaResolution}). Never a fixed sleep: a registry
 * that is ready passes at once, one that never gets there fails after the timeout, naming what is
 * missing.
 *
 * <p>A registry that keeps its schemas in memory comes back empty after a restart, and the
 * {@code schemas} step, completed, does not run again (this one does, on every restart of the job).
 * So when the registry answers that it does not have a schema (or the mapping lacks one), the
 * backup's schemas are registered again through {@code reimport} (null when the registry reads them
 * from the restored {@code _schemas} topic itself). The mapping it confirmed is what later steps use.
 */
public class RegistryWaitTasklet implements Tasklet {

	private static final Logger log = LoggerFactory.getLogger(RegistryWaitTasklet.class);

	private static final Duration FIRST_PAUSE = Duration.ofMillis(200);

	private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

	private final RegistryClient target;

	private final SchemaStore schemas;

	/** Registers the backup's schemas again; null when the registry reads them from the restored topic. */
	private final SchemaImport reimport;

	private final Duration timeout;

	private SchemaIdMapping mapping;

	public RegistryWaitTasklet(RegistryClient target, SchemaStore schemas, SchemaIdMapping mapping,
			SchemaImport reimport, Duration timeout) {
		this.target = target;
		this.schemas = schemas;
		this.mapping = mapping;
		this.reimport = reimport;
		this.timeout = timeout;
	}

	/** Schemas that do not resolve yet, each with its problem (null before it was checked). */
	private static final class Unresolved extends Poll.NotYet {

		private final transient Map<String, SchemaResolution.Problem> pending;

		Unresolved(Map<String, SchemaResolution.Problem> pending) {
			super(pending.size() + " schemas do not resolve yet");
			this.pending = new TreeMap<>(pending);
		}

	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		Map<String, SchemaResolution.Problem> pending = expected();
		SchemaIdMapping confirmed;
		try {
			confirmed = Poll.backingOff(FIRST_PAUSE, LONGEST_PAUSE).until(this.timeout, () -> look(pending),
					(unresolved) -> log.info("Waiting for {} of {} schemas to resolve in the registry at {}",
							unresolved.pending.size(), this.mapping.asMap().size(), this.target.url()));
		}
		catch (Unresolved ex) {
			throw new IllegalStateException(describe(ex.pending));
		}
		confirmed.asMap().keySet().forEach(fingerprint -> contribution.incrementReadCount());
		chunkContext.getStepContext()
			.getStepExecution()
			.getExecutionContext()
			.putString(SchemaIdMapping.CONTEXT_KEY, confirmed.toJson());
		return RepeatStatus.FINISHED;
	}

	/**
	 * Checks the schemas still pending again: the mapping once none is, else what still keeps them
	 * from resolving. Registers the backup's schemas again when the registry lost some; they are all
	 * pending then.
	 */
	private SchemaIdMapping look(Map<String, SchemaResolution.Problem> pending) throws Unresolved {
		for (String fingerprint : new ArrayList<>(pending.keySet())) {
			SchemaResolution.Problem problem = problem(fingerprint);
			if (problem == null) {
				pending.remove(fingerprint);
			}
			else {
				pending.put(fingerprint, problem);
			}
		}
		if (pending.isEmpty()) {
			return this.mapping;
		}
		long lost = pending.values().stream().filter(SchemaResolution.Problem::lost).count();
		if (this.reimport != null && lost > 0) {
			log.warn("The registry at {} does not have {} of the backup's schemas (restarted empty?); registering"
					+ " them again", this.target.url(), lost);
			Optional<String> obstacle = this.reimport.obstacle();
			if (obstacle.isPresent() && this.mapping.kept()) {
				// Not something waiting fixes: the ids the restore gave the schemas now hold others.
				throw new IllegalStateException("The registry at " + this.target.url() + " lost the backup's schemas"
						+ " this restore registered, and cannot take them under their ids again: " + obstacle.get()
						+ ". It was replaced or reset while the restore ran, and other schemas were registered there."
						+ " Point kafka-dr.registry.url at an empty registry (or empty this one) and run the same restore"
						+ " command again: it registers the schemas again and continues where it stopped. Or delete the"
						+ " restored topics and restore with --allow-new-schema-ids, which gives the schemas new ids.");
			}
			this.mapping = this.reimport.run();
			pending.clear();
			pending.putAll(expected());
		}
		throw new Unresolved(pending);
	}

	/**
	 * The schemas to check: those of the id mapping and, when they can be registered again, every
	 * schema of the backup (a mapping that lacks one was lost with the run that made it).
	 */
	private Map<String, SchemaResolution.Problem> expected() {
		Map<String, SchemaResolution.Problem> expected = new TreeMap<>();
		this.mapping.asMap().keySet().forEach(fingerprint -> expected.put(fingerprint, null));
		if (this.reimport != null && !this.mapping.kept()) {
			this.schemas.fingerprints().forEach(fingerprint -> expected.putIfAbsent(fingerprint, null));
		}
		return expected;
	}

	/** What keeps this schema from resolving under its id, or null when it resolves to the same schema. */
	private SchemaResolution.Problem problem(String fingerprint) {
		try {
			return SchemaResolution.check(this.target, this.schemas, fingerprint, this.mapping.asMap().get(fingerprint));
		}
		catch (RegistryUnavailableException ex) {
			// the registry coming back is what this step waits for
			return new SchemaResolution.Problem(ex.getMessage(), false);
		}
	}

	private String describe(Map<String, SchemaResolution.Problem> pending) {
		StringBuilder message = new StringBuilder("After " + this.timeout + ", " + pending.size() + " of "
				+ this.mapping.asMap().size() + " schemas of the backup still do not resolve in the registry at "
				+ this.target.url() + ":");
		pending.entrySet().stream().limit(10).forEach(e -> message.append(" schema ").append(e.getKey()).append(" (")
			.append((e.getValue() != null) ? e.getValue().description() : "not checked yet").append(");"));
		if (pending.size() > 10) {
			message.append(" and ").append(pending.size() - 10).append(" more;");
		}
		message.append(" Once the registry has them, run the same restore command again; it continues here.");
		return message.toString();
	}

}
