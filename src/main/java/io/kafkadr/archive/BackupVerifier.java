package io.kafkadr.archive;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import io.kafkadr.storage.StorageException;

/**
 * Checks a backup offline, without any cluster: the manifest's format version, every file's
 * SHA-256, and ({@link #verify}) every record: it parses each line, re-encodes every Avro datum with
 * its writer schema from the backup, and recomputes each partition's record count and content
 * digest; or ({@link #checkFiles}, before a restore) the files and every line in outline. Reports
 * the first problem of each partition with its file and line.
 */
public final class BackupVerifier {

	/**
	 * The outcome; {@code problems} is empty for an intact backup. {@code chain} lists the backups
	 * checked, the full backup first and this one last (only this one for a full backup).
	 * {@code missingKeys} names the keys of an encrypted backup that were not given: then only the
	 * files' checksums were checked, and no record was decoded.
	 */
	public record Report(String backupId, List<String> chain, long files, long records, List<Problem> problems,
			List<String> missingKeys) {

		public boolean intact() {
			return this.problems.isEmpty();
		}

	}

	/** A problem in a file (at a line when {@code line} is positive). */
	public record Problem(String file, long line, String message) {

		@Override
		public String toString() {
			return this.file + ((this.line > 0) ? ":" + this.line : "") + ": " + this.message;
		}

	}

	/** Sees the outline of every line a {@link #checkFiles} scan read, from several threads at once (one per partition). */
	@FunctionalInterface
	public interface OutlineObserver {

		void seen(String topic, RecordOutline record);

	}

	/** Verifies every file and every record of the backup. */
	public Report verify(BackupDirectory backup) {
		SchemaStore schemas = new SchemaStore(backup);
		return check(backup, topic -> true, (topic, partition) -> new PartitionCheck(backup, schemas, topic, partition));
	}

	/**
	 * What a restore checks before it writes anything, without decoding a datum: every file the
	 * manifest lists, and the segments of the given topics, each against its size and SHA-256 (which
	 * catches every flipped bit and truncation); and every line of those segments in outline (its
	 * timestamp and whether it carries Apicurio ids), shown to the observer. The restore decodes and
	 * checks each record as it produces it.
	 */
	public Report checkFiles(BackupDirectory backup, Set<String> topics, OutlineObserver observer) {
		return check(backup, topics::contains,
				(topic, partition) -> new OutlineScan(backup, topic, partition, observer));
	}

	/**
	 * One segment of a partition a restore reads, as {@link #checkFiles} checks it: the file against
	 * its size and SHA-256, then every line in outline, shown to the observer. For a restore that
	 * checks its partitions as steps of its job, a segment at a time.
	 */
	public Optional<Problem> checkSegment(BackupDirectory backup, String topic, Manifest.Partition partition,
			Manifest.Segment segment, OutlineObserver observer) {
		return Optional.ofNullable(new OutlineScan(backup, topic, partition, observer).segment(segment));
	}

	/** The files the manifest lists besides the segments (topics, groups, schemas) against their size and SHA-256. */
	public List<Problem> checkManifestFiles(BackupDirectory backup) {
		List<Problem> problems = new ArrayList<>();
		Manifest manifest = backup.manifest();
		for (Manifest.FileEntry file : manifest.files()) {
			checkFile(backup, file.path(), file.bytes(), file.sha256(),
					manifest.encrypted() && BackupDirectory.holdsRecordsOrSchemas(file.path()))
				.ifPresent(problems::add);
		}
		return problems;
	}

	/**
	 * The manifest's files, then a pass over each partition of the selected topics. For an
	 * incremental backup, the files of every backup of its chain and the partitions of the whole chain.
	 */
	private Report check(BackupDirectory backup, Predicate<String> topics,
			BiFunction<String, Manifest.Partition, PartitionPass> passes) {
		requireExists(backup);
		if (!backup.isComplete()) {
			return incomplete(backup);
		}
		// An unreadable manifest is refused as ever; a chain that does not hold together is this backup's problem.
		backup.manifest();
		BackupChain chain;
		try {
			chain = BackupChain.of(backup);
		}
		catch (StorageException ex) {
			return new Report(backup.id(), List.of(backup.id()), 0, 0,
					List.of(new Problem(BackupDirectory.MANIFEST, 0, ex.getMessage())), List.of());
		}
		Manifest manifest = chain.manifest();
		// Without the keys the records cannot be read, but every stored byte can still be checked.
		List<String> missingKeys = chain.missingKeys();
		Set<String> encryptedLinks = new HashSet<>();
		chain.links().stream().filter(link -> link.manifest().encrypted()).forEach(link -> encryptedLinks.add(link.id()));
		List<Problem> problems = new ArrayList<>();
		long files = 0;
		for (BackupDirectory link : chain.links()) {
			checkManifestFiles(link).forEach(
					p -> problems.add(new Problem(chain.pathFromNewest(link, p.file()), p.line(), p.message())));
			files += link.manifest().files().size();
		}
		List<PartitionPass> checks = new ArrayList<>();
		for (Manifest.Topic topic : manifest.topics()) {
			if (topics.test(topic.name())) {
				for (Manifest.Partition partition : topic.partitions()) {
					PartitionPass pass = missingKeys.isEmpty() ? passes.apply(topic.name(), partition)
							: new ChecksumPass(backup, topic.name(), partition);
					pass.encryptedLinks = encryptedLinks;
					checks.add(pass);
					files += partition.segments().size();
				}
			}
		}
		// Partitions are independent: check them in parallel, report in manifest order.
		checks.parallelStream().forEach(PartitionPass::run);
		long records = 0;
		for (PartitionPass check : checks) {
			records += check.records;
			if (check.problem != null) {
				problems.add(check.problem);
			}
		}
		return new Report(backup.id(), chain.links().stream().map(BackupDirectory::id).toList(), files, records,
				problems, missingKeys);
	}

	private static void requireExists(BackupDirectory backup) {
		if (!backup.exists()) {
			throw new StorageException("There is no backup " + backup.id() + " at " + backup.store().describe(backup.id())
					+ ". `kafka-dr backups` lists the backups in the storage location.");
		}
	}

	private static Report incomplete(BackupDirectory backup) {
		return new Report(backup.id(), List.of(backup.id()), 0, 0, List.of(new Problem(BackupDirectory.MANIFEST, 0,
				"missing: the backup is incomplete (its job never finished). Resume it with `kafka-dr backup"
						+ " --backup-id " + backup.id() + "`, or delete it.")), List.of());
	}

	/**
	 * One partition's segments in order: each file against the manifest, then each of its lines;
	 * records the first problem and stops there.
	 */
	private abstract static class PartitionPass {

		final BackupDirectory backup;

		final String topic;

		final Manifest.Partition partition;

		final RecordLineReader lines = new RecordLineReader();

		/** The ids of the chain's backups that are encrypted, whose segments must be too. */
		Set<String> encryptedLinks = Set.of();

		long records;

		Problem problem;

		PartitionPass(BackupDirectory backup, String topic, Manifest.Partition partition) {
			this.backup = backup;
			this.topic = topic;
			this.partition = partition;
		}

		/** The id of the backup a segment of the chain belongs to, from its path relative to the newest. */
		private String linkOf(String file) {
			return file.startsWith("../") ? file.substring(3, file.indexOf('/', 3)) : this.backup.id();
		}

		/** Whether the pass reads each segment's lines, or only checks its stored bytes. */
		boolean readsLines() {
			return true;
		}

		/** Checks the line the reader is at; returns what is wrong with it, or null. */
		abstract String line(Manifest.Segment segment, SegmentLines line);

		/** Once every segment passed: what is wrong with the partition as a whole, or null. */
		String finish() {
			return null;
		}

		final void run() {
			for (Manifest.Segment segment : this.partition.segments()) {
				this.problem = segment(segment);
				if (this.problem != null) {
					return;
				}
			}
			String error = finish();
			if (error != null) {
				this.problem = new Problem("topics/" + this.topic + "/" + this.partition.partition(), 0, error);
			}
		}

		/** Checks one segment: its file against the manifest, then each of its lines; the first problem, or null. */
		final Problem segment(Manifest.Segment segment) {
			Optional<Problem> fileProblem = checkFile(this.backup, segment.file(), segment.bytes(), segment.sha256(),
					this.encryptedLinks.contains(linkOf(segment.file())));
			if (fileProblem.isPresent()) {
				return fileProblem.get();
			}
			if (!readsLines()) {
				return null;
			}
			long inSegment = 0;
			try (SegmentLines segmentLines = this.backup.segmentLines(segment.file())) {
				while (segmentLines.advance()) {
					String error;
					try {
						error = line(segment, segmentLines);
					}
					catch (RuntimeException ex) {
						error = Objects.requireNonNullElse(ex.getMessage(), ex.toString());
					}
					if (error != null) {
						return new Problem(segment.file(), segmentLines.lineNumber(), error);
					}
					inSegment++;
					this.records++;
				}
			}
			catch (RuntimeException ex) {
				return new Problem(segment.file(), 0, "cannot be read: " + ex.getMessage());
			}
			if (inSegment != segment.records()) {
				return new Problem(segment.file(), 0, "holds " + inSegment + " records, the manifest says " + segment.records());
			}
			return null;
		}

	}

	/** Checks each segment's stored bytes only: the pass of an encrypted backup whose keys were not given. */
	private static final class ChecksumPass extends PartitionPass {

		ChecksumPass(BackupDirectory backup, String topic, Manifest.Partition partition) {
			super(backup, topic, partition);
		}

		@Override
		boolean readsLines() {
			return false;
		}

		@Override
		String line(Manifest.Segment segment, SegmentLines line) {
			throw new IllegalStateException("A checksum pass reads no lines");
		}

	}

	/** Reads each line in outline and shows it to the observer. */
	private static final class OutlineScan extends PartitionPass {

		private final OutlineObserver observer;

		OutlineScan(BackupDirectory backup, String topic, Manifest.Partition partition, OutlineObserver observer) {
			super(backup, topic, partition);
			this.observer = observer;
		}

		@Override
		String line(Manifest.Segment segment, SegmentLines line) {
			this.observer.seen(this.topic, this.lines.outline(line.buffer(), line.offset(), line.length()));
			return null;
		}

	}

	/**
	 * A file against its manifest entry, in one read of it: there, of its size, of its SHA-256, and
	 * encrypted when its backup is ({@code encrypted}).
	 */
	private static Optional<Problem> checkFile(BackupDirectory backup, String relative, long bytes, String sha256,
			boolean encrypted) {
		if (!backup.contains(relative)) {
			return Optional.of(new Problem(relative, 0, "missing"));
		}
		long size = backup.size(relative);
		if (size != bytes) {
			return Optional.of(new Problem(relative, 0, "holds " + size + " bytes, the manifest says " + bytes));
		}
		BackupDirectory.StoredFile stored = backup.inspect(relative);
		if (!stored.sha256().equals(sha256)) {
			return Optional.of(new Problem(relative, 0, "SHA-256 is " + stored.sha256() + ", the manifest says " + sha256));
		}
		if (encrypted && stored.keyId().isEmpty()) {
			return Optional.of(new Problem(relative, 0, "is stored in the clear, though its backup is encrypted: it was"
					+ " replaced or altered"));
		}
		return Optional.empty();
	}

	/** Parses every record, checks its offset, and recomputes the partition's count and content digest. */
	private static final class PartitionCheck extends PartitionPass {

		private final RecordDigester digester;

		private byte[] chain = ContentDigest.fromHex(null);

		private long previousOffset;

		PartitionCheck(BackupDirectory backup, SchemaStore schemas, String topic, Manifest.Partition partition) {
			super(backup, topic, partition);
			this.digester = new RecordDigester(new DatumEncoder(schemas));
			this.previousOffset = partition.startOffset() - 1;
		}

		@Override
		String line(Manifest.Segment segment, SegmentLines line) {
			ArchivedRecord record = this.lines.read(line.buffer(), line.offset(), line.length());
			String error = offsetProblem(record, this.previousOffset, segment);
			if (error == null) {
				this.chain = this.digester.chain(this.chain, record);
				this.previousOffset = record.offset();
			}
			return error;
		}

		@Override
		String finish() {
			if (this.records != this.partition.records()) {
				return "holds " + this.records + " records, the manifest says " + this.partition.records();
			}
			if (!ContentDigest.hex(this.chain).equals(this.partition.contentDigest())) {
				return "content digest " + ContentDigest.hex(this.chain) + " differs from the manifest's "
						+ this.partition.contentDigest();
			}
			return null;
		}

		private String offsetProblem(ArchivedRecord record, long previousOffset, Manifest.Segment segment) {
			if (record.partition() != this.partition.partition()) {
				return "record of partition " + record.partition() + " in partition " + this.partition.partition();
			}
			if (record.offset() <= previousOffset) {
				return "offset " + record.offset() + " does not follow " + previousOffset;
			}
			if (record.offset() < segment.firstOffset() || record.offset() > segment.lastOffset()) {
				return "offset " + record.offset() + " lies outside the segment's range " + segment.firstOffset() + "-"
						+ segment.lastOffset();
			}
			return null;
		}

	}

}
