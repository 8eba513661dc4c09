package io.kafkadr.archive;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a backup offline, without any cluster: the manifest's format version, every file's
 * SHA-256, and ({@link #verify}) every record: it parses each line, re-encodes every Avro datum with
 * its writer schema from the backup, and recomputes each partition's record count and content
 * digest; or ({@link #checkFiles}, before a restore) the files and every line in outline. Reports
 * the first problem of each partition with its file and line.
 */
public final class BackupVerifier {

	private final RecordLineReader lines = new RecordLineReader();

	/** The outcome; {@code problems} is empty for an intact backup. */
	public record Report(String backupId, long files, long records, List<Problem> problems) {

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
		requireComplete(backup);
		if (!backup.isComplete()) {
			return incomplete(backup);
		}
		Manifest manifest = backup.manifest();
		List<Problem> problems = new ArrayList<>();
		long files = 0;
		for (Manifest.FileEntry file : manifest.files()) {
			files++;
			checkFile(backup, file.path(), file.bytes(), file.sha256()).ifPresent(problems::add);
		}
		SchemaStore schemas = new SchemaStore(backup);
		List<PartitionCheck> checks = new ArrayList<>();
		for (Manifest.Topic topic : manifest.topics()) {
			for (Manifest.Partition partition : topic.partitions()) {
				checks.add(new PartitionCheck(backup, schemas, topic.name(), partition));
				files += partition.segments().size();
			}
		}
		// Partitions are independent: check them in parallel, report in manifest order.
		checks.parallelStream().forEach(PartitionCheck::run);
		long records = 0;
		for (PartitionCheck check : checks) {
			records += check.records;
			if (check.problem != null) {
				problems.add(check.problem);
			}
		}
		return new Report(backup.id(), files, records, problems);
	}

	/**
	 * What a restore checks before it writes anything, without decoding a datum: every file the
	 * manifest lists, and the segments of the given topics, each against its size and SHA-256 (which
	 * catches every flipped bit and truncation); and every line of those segments in outline (its
	 * timestamp and whether it carries Apicurio ids), shown to the observer. The restore decodes and
	 * checks each record as it produces it.
	 */
	public Report checkFiles(BackupDirectory backup, Set<String> topics, OutlineObserver observer) {
		requireComplete(backup);
		if (!backup.isComplete()) {
			return incomplete(backup);
		}
		Manifest manifest = backup.manifest();
		List<Problem> problems = new ArrayList<>();
		long files = 0;
		for (Manifest.FileEntry file : manifest.files()) {
			files++;
			checkFile(backup, file.path(), file.bytes(), file.sha256()).ifPresent(problems::add);
		}
		List<OutlineScan> scans = new ArrayList<>();
		for (Manifest.Topic topic : manifest.topics()) {
			if (topics.contains(topic.name())) {
				for (Manifest.Partition partition : topic.partitions()) {
					scans.add(new OutlineScan(backup, topic.name(), partition, observer));
					files += partition.segments().size();
				}
			}
		}
		scans.parallelStream().forEach(OutlineScan::run);
		long records = 0;
		for (OutlineScan scan : scans) {
			records += scan.records;
			if (scan.problem != null) {
				problems.add(scan.problem);
			}
		}
		return new Report(backup.id(), files, records, problems);
	}

	private static void requireComplete(BackupDirectory backup) {
		if (!backup.exists()) {
			throw new StorageException("There is no backup " + backup.id() + " at " + backup.path()
					+ ". `kafka-dr backups` lists the backups in the storage location.");
		}
	}

	private static Report incomplete(BackupDirectory backup) {
		return new Report(backup.id(), 0, 0, List.of(new Problem(BackupDirectory.MANIFEST, 0,
				"missing: the backup is incomplete (its job never finished). Resume it with `kafka-dr backup"
						+ " --backup-id " + backup.id() + "`, or delete it.")));
	}

	/** Checks one partition's segment files and reads its lines in outline; records the first problem and stops there. */
	private final class OutlineScan {

		private final BackupDirectory backup;

		private final String topic;

		private final Manifest.Partition partition;

		private final OutlineObserver observer;

		private long records;

		private Problem problem;

		OutlineScan(BackupDirectory backup, String topic, Manifest.Partition partition, OutlineObserver observer) {
			this.backup = backup;
			this.topic = topic;
			this.partition = partition;
			this.observer = observer;
		}

		void run() {
			for (Manifest.Segment segment : this.partition.segments()) {
				Optional<Problem> fileProblem = checkFile(this.backup, segment.file(), segment.bytes(), segment.sha256());
				if (fileProblem.isPresent()) {
					this.problem = fileProblem.get();
					return;
				}
				long inSegment = 0;
				try (SegmentLines segmentLines = new SegmentLines(this.backup.resolve(segment.file()))) {
					while (segmentLines.advance()) {
						RecordOutline outline;
						try {
							outline = BackupVerifier.this.lines.outline(segmentLines.buffer(), segmentLines.offset(),
									segmentLines.length());
						}
						catch (RuntimeException ex) {
							this.problem = new Problem(segment.file(), segmentLines.lineNumber(),
									Objects.requireNonNullElse(ex.getMessage(), ex.toString()));
							return;
						}
						this.observer.seen(this.topic, outline);
						inSegment++;
						this.records++;
					}
				}
				catch (RuntimeException ex) {
					this.problem = new Problem(segment.file(), 0, "cannot be read: " + ex.getMessage());
					return;
				}
				if (inSegment != segment.records()) {
					this.problem = new Problem(segment.file(), 0,
							"holds " + inSegment + " records, the manifest says " + segment.records());
					return;
				}
			}
		}

	}

	private static Optional<Problem> checkFile(BackupDirectory backup, String relative, long bytes,
			String sha256) {
		Path file = backup.resolve(relative);
		if (!Files.isRegularFile(file)) {
			return Optional.of(new Problem(relative, 0, "missing"));
		}
		if (file.toFile().length() != bytes) {
			return Optional.of(new Problem(relative, 0,
					"holds " + file.toFile().length() + " bytes, the manifest says " + bytes));
		}
		String actual = Checksums.sha256(file);
		if (!actual.equals(sha256)) {
			return Optional.of(new Problem(relative, 0, "SHA-256 is " + actual + ", the manifest says " + sha256));
		}
		return Optional.empty();
	}

	/** Checks one partition's segments in order; records the first problem and stops there. */
	private final class PartitionCheck {

		private final BackupDirectory backup;

		private final SchemaStore schemas;

		private final String topic;

		private final Manifest.Partition partition;

		private long records;

		private Problem problem;

		PartitionCheck(BackupDirectory backup, SchemaStore schemas, String topic, Manifest.Partition partition) {
			this.backup = backup;
			this.schemas = schemas;
			this.topic = topic;
			this.partition = partition;
		}

		void run() {
			RecordDigester digester = new RecordDigester(new DatumEncoder(this.schemas));
			byte[] chain = ContentDigest.fromHex(null);
			long previousOffset = this.partition.startOffset() - 1;
			for (Manifest.Segment segment : this.partition.segments()) {
				Optional<Problem> fileProblem = checkFile(this.backup, segment.file(), segment.bytes(),
						segment.sha256());
				if (fileProblem.isPresent()) {
					this.problem = fileProblem.get();
					return;
				}
				long inSegment = 0;
				try (SegmentLines segmentLines = new SegmentLines(this.backup.resolve(segment.file()))) {
					while (segmentLines.advance()) {
						String error;
						ArchivedRecord record = null;
						try {
							record = BackupVerifier.this.lines.read(segmentLines.buffer(), segmentLines.offset(),
									segmentLines.length());
							error = offsetProblem(record, previousOffset, segment);
							if (error == null) {
								chain = digester.chain(chain, record);
							}
						}
						catch (RuntimeException ex) {
							error = Objects.requireNonNullElse(ex.getMessage(), ex.toString());
						}
						if (error != null) {
							this.problem = new Problem(segment.file(), segmentLines.lineNumber(), error);
							return;
						}
						previousOffset = record.offset();
						inSegment++;
						this.records++;
					}
				}
				catch (RuntimeException ex) {
					this.problem = new Problem(segment.file(), 0, "cannot be read: " + ex.getMessage());
					return;
				}
				if (inSegment != segment.records()) {
					this.problem = new Problem(segment.file(), 0,
							"holds " + inSegment + " records, the manifest says " + segment.records());
					return;
				}
			}
			String where = "topics/" + this.topic + "/" + this.partition.partition();
			if (this.records != this.partition.records()) {
				this.problem = new Problem(where, 0,
						"holds " + this.records + " records, the manifest says " + this.partition.records());
			}
			else if (!ContentDigest.hex(chain).equals(this.partition.contentDigest())) {
				this.problem = new Problem(where, 0, "content digest " + ContentDigest.hex(chain)
						+ " differs from the manifest's " + this.partition.contentDigest());
			}
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
