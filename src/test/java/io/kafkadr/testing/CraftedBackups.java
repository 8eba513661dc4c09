package io.kafkadr.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.SegmentCompression;

/**
 * Backups written straight into a storage location, completed at chosen times in the past, for
 * the commands that read only their manifests and file times ({@code prune}, {@code backups}): a
 * backup completed 40 days ago cannot be had otherwise. Each holds one segment file, and a complete
 * one a real manifest written by the archive's own writer; an incremental one names its base by
 * the SHA-256 of the base's manifest, as a backup job does.
 */
public final class CraftedBackups {

	private final BackupStorage storage;

	private final Path location;

	public CraftedBackups(Path location) {
		this.storage = new BackupStorage(location);
		this.location = location;
	}

	/** An incomplete backup: one segment, no manifest. */
	public BackupDirectory incomplete(String id) {
		BackupDirectory backup = this.storage.backup(id);
		try {
			Path segment = LocalFiles.of(backup, "topics/cdc.events/0/" + BackupDirectory.segmentName(0, SegmentCompression.ZSTD));
			Files.createDirectories(segment.getParent());
			Files.write(segment, new byte[64]);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return backup;
	}

	/** A full backup that completed {@code age} ago, without topics. */
	public BackupDirectory full(String id, Duration age) {
		return complete(id, age, null, List.of());
	}

	/** An incremental backup that completed {@code age} ago and continues {@code baseId}, without topics. */
	public BackupDirectory incremental(String id, Duration age, String baseId) {
		return complete(id, age, base(baseId), List.of());
	}

	/**
	 * A complete backup: full when {@code base} is null, else incremental, in the format version
	 * each is written in.
	 */
	public BackupDirectory complete(String id, Duration age, Manifest.Base base, List<Manifest.Topic> topics) {
		BackupDirectory backup = incomplete(id);
		Instant completed = Instant.now().minus(age);
		int version = Manifest.version(base != null, false);
		List<Manifest.Partition> partitions = topics.stream().flatMap(t -> t.partitions().stream()).toList();
		long records = partitions.stream().mapToLong(Manifest.Partition::records).sum();
		backup.write(BackupDirectory.MANIFEST, new Manifest(Manifest.FORMAT, version, id, "test",
				completed.minusSeconds(60), completed, base, null, new Manifest.Source("broker:9092", "cluster", null),
				new Manifest.Totals(topics.size(), partitions.size(), records, 64, 0, 0),
				topics, List.of()));
		return backup;
	}

	/** How a backup continuing this complete one names it. */
	public Manifest.Base base(String baseId) {
		return new Manifest.Base(baseId,
				this.storage.backup(baseId).sha256(BackupDirectory.MANIFEST), List.of(), List.of());
	}

	/** Sets the modification time of every file of a backup, as if nothing had been written to it since. */
	public void backdate(String id, Instant time) {
		try (Stream<Path> files = Files.walk(LocalFiles.of(this.storage.backup(id), ""))) {
			for (Path file : files.toList()) {
				Files.setLastModifiedTime(file, FileTime.from(time));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The ids of the backups in the location, sorted. */
	public List<String> remaining() {
		try (Stream<Path> children = Files.list(this.location)) {
			return children.map(path -> path.getFileName().toString())
				.filter(name -> !name.startsWith("."))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
