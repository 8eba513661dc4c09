package io.kafkadr.restore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.kafkadr.archive.ArchivedRecord;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.ContentDigest;
import io.kafkadr.archive.DatumEncoder;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.RecordDigester;
import io.kafkadr.archive.RecordLineReader;
import io.kafkadr.archive.SchemaStore;
import io.kafkadr.archive.SegmentLines;
import io.kafkadr.archive.TopicSnapshot;
import io.kafkadr.kafka.ChunkLimits;
import io.kafkadr.kafka.ConsumerGroupInspector;
import io.kafkadr.kafka.KafkaClients;
import io.kafkadr.kafka.KafkaPartitionReader;
import io.kafkadr.kafka.PartitionOffsets;
import io.kafkadr.kafka.RecordBlock;
import io.kafkadr.kafka.TopicConfigs;
import io.kafkadr.kafka.TopicCreator;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code validation} step: reads every restored partition back from the target and compares
 * its record count and content digest with the backup's, checks that every writer schema resolves
 * under its target id, that the translated consumer-group offsets are committed, and, when
 * configured, that Kafka Connect runs every connector and task. It writes {@link ValidationReport};
 * any mismatch fails the step. Only a restore that passed gets its held-back topic configs back.
 */
public class ValidationTasklet implements Tasklet {

	/** Read back in blocks of the backup's default size: nothing is committed, so only the heap they take matters. */
	private static final ChunkLimits READ_BACK = new ChunkLimits(50_000, 4L << 20, Duration.ofSeconds(5));

	/** The step execution context key holding the report's path inside the backup. */
	public static final String REPORT = "kafka-dr.validation-report";

	private final KafkaClients kafka;

	private final RegistryClient registry;

	private final ConnectHealth connect;

	private final JobRepository jobRepository;

	private final BackupDirectory backup;

	private final RestorePlan plan;

	private final SchemaIdMapping ids;

	private final String targetCluster;

	private final int parallelism;

	public ValidationTasklet(KafkaClients kafka, RegistryClient registry, ConnectHealth connect,
			JobRepository jobRepository, BackupDirectory backup, RestorePlan plan, SchemaIdMapping ids,
			String targetCluster, int parallelism) {
		this.parallelism = parallelism;
		this.kafka = kafka;
		this.registry = registry;
		this.connect = connect;
		this.jobRepository = jobRepository;
		this.backup = backup;
		this.plan = plan;
		this.ids = ids;
		this.targetCluster = targetCluster;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		RestoredPartitions restored = new RestoredPartitions(this.jobRepository,
				chunkContext.getStepContext().getStepExecution().getJobExecution());
		List<String> problems = new ArrayList<>();
		List<ValidationReport.PartitionCheck> partitions = checkPartitions(restored, problems, contribution);
		List<ValidationReport.GroupOffsetCheck> groups = checkGroupOffsets(restored, problems);
		ValidationReport.SchemaCheck schemas = checkSchemas(problems);
		ValidationReport.ConnectCheck connect = this.connect.check();
		if (connect.checked() && !connect.healthy()) {
			problems.add(connect.problem());
		}
		List<String> warnings = new ArrayList<>();
		if (!this.ids.kept()) {
			warnings.add(newIdsWarning(partitions));
		}
		ValidationReport report = new ValidationReport(this.backup.id(), this.targetCluster, Instant.now(),
				problems.isEmpty(), this.ids.kept(), partitions, groups, schemas, connect, problems, warnings);
		String path = ValidationReport.path(this.targetCluster);
		this.backup.write(path, report);
		chunkContext.getStepContext().getStepExecution().getExecutionContext().putString(REPORT, path);
		if (!problems.isEmpty()) {
			throw new IllegalStateException("The restore does not match the backup: " + String.join("; ", problems)
					+ ". The full report is " + this.backup.resolve(path) + ".");
		}
		applyHeldBackConfigs();
		return RepeatStatus.FINISHED;
	}

	/** Checks the partitions in parallel, as the topic steps wrote them; reports them in plan order. */
	private List<ValidationReport.PartitionCheck> checkPartitions(RestoredPartitions restored, List<String> problems,
			StepContribution contribution) {
		List<Callable<ValidationReport.PartitionCheck>> checks = new ArrayList<>();
		PartitionOffsets offsets = new PartitionOffsets(this.kafka.admin());
		for (RestorePlan.TopicRestore topic : this.plan.topics()) {
			for (Manifest.Partition partition : topic.partitions()) {
				TopicPartition target = new TopicPartition(topic.target(), partition.partition());
				long start = restored.targetStart(topic, partition.partition());
				long end = offsets.end(target);
				checks.add(() -> checkPartition(topic, partition, target, start, end));
			}
		}
		List<ValidationReport.PartitionCheck> results = new ArrayList<>();
		ExecutorService executor = Executors.newFixedThreadPool(this.parallelism);
		try {
			for (Future<ValidationReport.PartitionCheck> future : executor.invokeAll(checks)) {
				ValidationReport.PartitionCheck check = future.get();
				results.add(check);
				contribution.incrementReadCount();
				if (!check.passed()) {
					problems.add(check.target() + "-" + check.partition() + " holds " + check.actualRecords()
							+ " records with digest " + check.actualDigest() + ", the backup " + check.expectedRecords()
							+ " with " + check.expectedDigest());
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while validating", ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Cannot read a restored partition back: " + ex.getCause().getMessage(),
					ex.getCause());
		}
		finally {
			executor.shutdownNow();
		}
		return results;
	}

	/**
	 * Reads exactly the range the restore wrote: its records are contiguous from the target start,
	 * as it produced without transactions. Records appended after it (Kafka Connect writes its status
	 * as soon as it starts) are not the restore's and do not count.
	 */
	private ValidationReport.PartitionCheck checkPartition(RestorePlan.TopicRestore topic, Manifest.Partition partition,
			TopicPartition target, long start, long end) {
		Expected expected = expected(partition);
		TargetDigester digester = new TargetDigester(topic.kind() == TopicSnapshot.Kind.avro, topic.prefixFormat(), this.ids,
				topic.partitionCount());
		long actual = 0;
		byte[] chain = ContentDigest.fromHex(null);
		KafkaPartitionReader reader = new KafkaPartitionReader(target, start, Math.min(end, start + expected.records()),
				this.kafka::backupConsumer, Duration.ofMinutes(1), READ_BACK);
		reader.open(new ExecutionContext());
		try {
			for (RecordBlock block = reader.read(); block != null; block = reader.read()) {
				for (ConsumerRecord<byte[], byte[]> record : block.records()) {
					chain = digester.chain(chain, record);
					actual++;
				}
			}
		}
		finally {
			reader.close();
		}
		boolean passed = actual == expected.records() && ContentDigest.hex(chain).equals(expected.digest());
		String actualDigest = ContentDigest.hex(chain)
				+ ((!passed && digester.problem() != null) ? " (" + digester.problem() + ")" : "");
		return new ValidationReport.PartitionCheck(topic.source(), topic.target(), partition.partition(),
				expected.records(), actual, expected.digest(), actualDigest, passed, digester.keysRewritten(),
				digester.keysMoved());
	}

	private record Expected(long records, String digest) {
	}

	/** The count and digest the restored partition must have: the manifest's, or recomputed for a point-in-time restore. */
	private Expected expected(Manifest.Partition partition) {
		if (this.plan.restoresEverything()) {
			return new Expected(partition.records(), partition.contentDigest());
		}
		RecordLineReader lines = new RecordLineReader();
		RecordDigester digester = new RecordDigester(new DatumEncoder(new SchemaStore(this.backup)));
		byte[] chain = ContentDigest.fromHex(null);
		long records = 0;
		for (Manifest.Segment segment : partition.segments()) {
			try (SegmentLines segmentLines = new SegmentLines(this.backup.resolve(segment.file()))) {
				while (segmentLines.advance()) {
					ArchivedRecord record = lines.read(segmentLines.buffer(), segmentLines.offset(), segmentLines.length());
					if (this.plan.restores(record)) {
						chain = digester.chain(chain, record);
						records++;
					}
				}
			}
		}
		return new Expected(records, ContentDigest.hex(chain));
	}

	private List<ValidationReport.GroupOffsetCheck> checkGroupOffsets(RestoredPartitions restored,
			List<String> problems) {
		List<GroupOffsetPlan.Translation> translations = GroupOffsetPlan.of(this.backup, this.plan, restored);
		List<ValidationReport.GroupOffsetCheck> checks = new ArrayList<>();
		Admin admin = this.kafka.admin();
		for (String group : GroupOffsetPlan.byGroup(translations).keySet()) {
			Map<TopicPartition, OffsetAndMetadata> committed = new ConsumerGroupInspector(admin).committed(group);
			for (GroupOffsetPlan.Translation t : translations) {
				if (!t.group().equals(group)) {
					continue;
				}
				OffsetAndMetadata actual = committed.get(new TopicPartition(t.targetTopic(), t.partition()));
				Long actualOffset = (actual != null) ? actual.offset() : null;
				boolean passed = actualOffset != null && actualOffset == t.targetOffset();
				if (!passed) {
					problems.add("consumer group " + group + " has " + actualOffset + " committed on " + t.targetTopic()
							+ "-" + t.partition() + ", the translation of source offset " + t.sourceOffset() + " is "
							+ t.targetOffset());
				}
				checks.add(new ValidationReport.GroupOffsetCheck(group, t.targetTopic(), t.partition(), t.sourceOffset(),
						t.targetOffset(), actualOffset, passed));
			}
		}
		return checks;
	}

	private ValidationReport.SchemaCheck checkSchemas(List<String> problems) {
		List<String> unresolved = new ArrayList<>();
		if (this.registry != null) {
			this.ids.asMap().forEach((fingerprint, id) -> {
				try {
					this.registry.schemaById(id);
				}
				catch (RegistryException ex) {
					unresolved.add(fingerprint + " (id " + id + "): " + ex.getMessage());
				}
			});
		}
		if (!unresolved.isEmpty()) {
			problems.add(unresolved.size() + " schemas do not resolve in the target registry: " + unresolved);
		}
		return new ValidationReport.SchemaCheck(this.ids.asMap().size(), unresolved);
	}

	/** Per keyed topic, how many keys changed bytes with their schema's new id and now hash elsewhere. */
	private static String newIdsWarning(List<ValidationReport.PartitionCheck> partitions) {
		Map<String, long[]> byTopic = new TreeMap<>();
		partitions.forEach(p -> {
			long[] counts = byTopic.computeIfAbsent(p.target(), t -> new long[2]);
			counts[0] += p.keysRewritten();
			counts[1] += p.keysMoved();
		});
		StringBuilder warning = new StringBuilder("The schemas got new ids (--allow-new-schema-ids), so Avro keys changed"
				+ " bytes: ");
		List<String> topics = new ArrayList<>();
		byTopic.forEach((topic, counts) -> {
			if (counts[0] > 0) {
				topics.add(topic + " " + counts[0] + " keys rewritten, " + counts[1]
						+ " of them now hash to another partition than their history");
			}
		});
		warning.append(topics.isEmpty() ? "none in the restored records" : String.join("; ", topics));
		return warning.append(". New events for those keys will not follow their history.").toString();
	}

	/** Puts back the configs held back while writing (timestamp type, retention). */
	private void applyHeldBackConfigs() {
		boolean suspend = this.plan.options().retention() == RestoreOptions.Retention.suspend;
		TopicCreator topics = new TopicCreator(this.kafka.admin());
		for (RestorePlan.TopicRestore topic : this.plan.topics()) {
			topics.alterConfigs(topic.target(), TopicConfigs.afterRestoring(topic.configs(), suspend));
		}
	}

}
