package io.kafkadr.backup;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.ConsumerGroupSnapshot;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.TopicSnapshot;
import io.kafkadr.execution.PartitionContext;
import io.kafkadr.storage.ObjectStore;
import io.kafkadr.storage.StoredObject;
import org.apache.kafka.common.TopicPartition;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code seal} step: writes the manifest, last. Per partition it takes what the partition's
 * writer committed from that partition step's saved execution context (the job repository is the
 * transactional record of what each chunk wrote, across restarts), and it checksums every file.
 */
public class SealTasklet implements Tasklet {

	private final JobRepository jobRepository;

	private final BackupDirectory backup;

	private final String bootstrapServers;

	private final String registryUrl;

	public SealTasklet(JobRepository jobRepository, BackupDirectory backup, String bootstrapServers, String registryUrl) {
		this.jobRepository = jobRepository;
		this.backup = backup;
		this.bootstrapServers = bootstrapServers;
		this.registryUrl = registryUrl;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		JobExecution job = chunkContext.getStepContext().getStepExecution().getJobExecution();
		TopicSnapshot snapshot = this.backup.read(BackupDirectory.TOPICS, TopicSnapshot.class);
		List<Manifest.Topic> topics = new ArrayList<>();
		Set<String> keyIds = new TreeSet<>();
		long records = 0;
		long bytes = 0;
		int partitions = 0;
		for (TopicSnapshot.Topic topic : snapshot.topics()) {
			List<Manifest.Partition> sealed = new ArrayList<>();
			for (TopicSnapshot.PartitionRange range : topic.partitions()) {
				Manifest.Partition partition = seal(job, topic, range, keyIds);
				sealed.add(partition);
				records += partition.records();
				bytes += partition.segments().stream().mapToLong(Manifest.Segment::bytes).sum();
				partitions++;
			}
			topics.add(new Manifest.Topic(topic.name(), topic.kind().name(), sealed));
		}
		List<Manifest.FileEntry> files = metadataFiles(keyIds);
		int schemas = (int) files.stream().filter(file -> file.path().startsWith("schemas/")).count();
		int groups = this.backup.read(BackupDirectory.CONSUMER_GROUPS, ConsumerGroupSnapshot.class).groups().size();
		Manifest.Encryption encryption = Manifest.Encryption.of(keyIds);
		Manifest manifest = new Manifest(Manifest.FORMAT, Manifest.version(snapshot.base() != null, encryption != null),
				this.backup.id(), createdBy(), firstStart(job), Instant.now(), snapshot.base(), encryption,
				new Manifest.Source(this.bootstrapServers, snapshot.clusterId(), this.registryUrl),
				new Manifest.Totals(topics.size(), partitions, records, bytes, schemas, groups), topics, files);
		this.backup.store().requireLocksHeld();
		this.backup.write(BackupDirectory.MANIFEST, manifest);
		contribution.incrementWriteCount(partitions);
		return RepeatStatus.FINISHED;
	}

	private Manifest.Partition seal(JobExecution job, TopicSnapshot.Topic topic, TopicSnapshot.PartitionRange range,
			Set<String> keyIds) {
		String stepName = PartitionContext.partitionStepName(BackupJobConfiguration.workerStepName(topic.kind()),
				topic.name(), range.partition());
		StepExecution step = this.jobRepository.getLastStepExecution(job.getJobInstance(), stepName);
		if (step == null) {
			throw new IllegalStateException("No partition step " + stepName + " ran; the backup cannot be sealed");
		}
		String directory = BackupDirectory.partitionPath(new TopicPartition(topic.name(), range.partition()));
		SegmentWriter.PartitionState state = SegmentWriter.state(step.getExecutionContext(), this.backup.store(),
				this.backup.key(directory), (range.base() != null) ? range.base().contentDigest() : null);
		List<Manifest.Segment> segments = new ArrayList<>();
		for (SegmentWriter.PartitionState.Segment segment : SegmentWriter.completeSegments(state, this.backup,
				directory)) {
			if (segment.records() == 0) {
				continue;
			}
			if (segment.keyId() != null) {
				keyIds.add(segment.keyId());
			}
			String file = directory + segment.file();
			// A segment the writer saw whole carries its SHA-256; one a restart continued is read back.
			segments.add(new Manifest.Segment(file, segment.records(), segment.firstOffset(), segment.lastOffset(),
					segment.bytes(), (segment.sha256() != null) ? segment.sha256() : this.backup.sha256(file)));
		}
		return new Manifest.Partition(range.partition(), range.start(), range.end(), state.records(), state.firstOffset(),
				state.lastOffset(), state.contentDigest(), segments, state.undecoded(), range.base(), range.gapOffsets());
	}

	/**
	 * Every file but the segments (listed per partition) and the manifest itself, with checksums.
	 * What writes that a kill interrupted left (temporary files, appends no commit knows of) is
	 * deleted: every committed segment is complete by now. Adds the keys of encrypted files to {@code keyIds}.
	 */
	private List<Manifest.FileEntry> metadataFiles(Set<String> keyIds) {
		ObjectStore store = this.backup.store();
		store.unfinishedAppends(this.backup.key("")).forEach(store::discard);
		List<Manifest.FileEntry> files = new ArrayList<>();
		for (StoredObject file : this.backup.files("")) {
			String path = this.backup.relative(file.key());
			if (BackupDirectory.isTemporary(path)) {
				store.delete(file.key());
			}
			else if (!path.startsWith("topics/") && !path.equals(BackupDirectory.MANIFEST)) {
				BackupDirectory.StoredFile stored = this.backup.inspect(path);
				files.add(new Manifest.FileEntry(path, file.size(), stored.sha256()));
				stored.keyId().ifPresent(keyIds::add);
			}
		}
		return files;
	}

	/** When the backup first started: a resumed backup covers the range its first run fixed. */
	private Instant firstStart(JobExecution job) {
		return this.jobRepository.getJobExecutions(job.getJobInstance())
			.stream()
			.map(JobExecution::getStartTime)
			.filter(Objects::nonNull)
			.min(Comparator.naturalOrder())
			.orElse(job.getStartTime())
			.atZone(ZoneId.systemDefault())
			.toInstant();
	}

	private static String createdBy() {
		String version = SealTasklet.class.getPackage().getImplementationVersion();
		return "kafka-dr " + ((version != null) ? version : "development build");
	}

}
