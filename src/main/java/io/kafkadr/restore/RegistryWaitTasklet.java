package io.kafkadr.restore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

import io.kafkadr.archive.SchemaStore;
import io.kafkadr.archive.StoredSchema;
import io.kafkadr.avro.AvroSchemas;
import io.kafkadr.registry.RegisteredSchema;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code waitForRegistry} step: polls the target registry, with backoff, until every writer
 * schema of the backup resolves under its target id to the same schema (parsed and compared, so
 * that a registry's whitespace or attribute order does not matter). Never a fixed sleep: a registry
 * that is ready passes at once, one that never gets there fails after the timeout, naming what is
 * missing.
 */
public class RegistryWaitTasklet implements Tasklet {

	private static final Logger log = LoggerFactory.getLogger(RegistryWaitTasklet.class);

	private static final Duration FIRST_PAUSE = Duration.ofMillis(200);

	private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

	private final RegistryClient target;

	private final SchemaStore schemas;

	private final SchemaIdMapping mapping;

	private final Duration timeout;

	public RegistryWaitTasklet(RegistryClient target, SchemaStore schemas, SchemaIdMapping mapping, Duration timeout) {
		this.target = target;
		this.schemas = schemas;
		this.mapping = mapping;
		this.timeout = timeout;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		Map<String, String> pending = new TreeMap<>();
		this.mapping.asMap().keySet().forEach(fingerprint -> pending.put(fingerprint, "not checked yet"));
		long deadline = System.nanoTime() + this.timeout.toNanos();
		Duration pause = FIRST_PAUSE;
		while (true) {
			for (String fingerprint : new ArrayList<>(pending.keySet())) {
				String problem = problem(fingerprint, this.mapping.id(fingerprint));
				if (problem == null) {
					pending.remove(fingerprint);
					contribution.incrementReadCount();
				}
				else {
					pending.put(fingerprint, problem);
				}
			}
			if (pending.isEmpty()) {
				return RepeatStatus.FINISHED;
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(describe(pending));
			}
			log.info("Waiting for {} of {} schemas to resolve in the registry at {}", pending.size(),
					this.mapping.asMap().size(), this.target.url());
			LockSupport.parkNanos(pause.toNanos());
			pause = (pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0) ? LONGEST_PAUSE : pause.multipliedBy(2);
		}
	}

	/** What keeps this schema from resolving under its id, or null when it resolves to the same schema. */
	private String problem(String fingerprint, int id) {
		RegisteredSchema found;
		try {
			found = this.target.schemaById(id);
		}
		catch (RegistryException ex) {
			return "id " + id + ": " + ex.getMessage();
		}
		StoredSchema expected = this.schemas.get(fingerprint);
		if (!expected.schemaType().equals(found.schemaType())) {
			return "id " + id + " is a " + found.schemaType() + " schema, the backup's is " + expected.schemaType();
		}
		if (!"AVRO".equals(expected.schemaType())) {
			return null;
		}
		List<String> referenced = new ArrayList<>();
		expected.references().forEach(reference -> referenced.add(this.schemas.get(reference.fingerprint()).schema()));
		if (!AvroSchemas.parse(found.schema(), referenced).equals(this.schemas.avroSchema(fingerprint))) {
			return "id " + id + " resolves to a different schema";
		}
		return null;
	}

	private String describe(Map<String, String> pending) {
		StringBuilder message = new StringBuilder("After " + this.timeout + ", " + pending.size() + " of "
				+ this.mapping.asMap().size() + " schemas of the backup still do not resolve in the registry at "
				+ this.target.url() + ":");
		pending.entrySet().stream().limit(10).forEach(e -> message.append(" schema ").append(e.getKey()).append(" (")
			.append(e.getValue()).append(");"));
		if (pending.size() > 10) {
			message.append(" and ").append(pending.size() - 10).append(" more;");
		}
		message.append(" Once the registry has them, run the same restore command again; it continues here.");
		return message.toString();
	}

}
