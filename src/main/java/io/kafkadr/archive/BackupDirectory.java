package io.kafkadr.archive;

import io.kafkadr.storage.OwnerOnly;
import io.kafkadr.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One backup: a directory named by the backup id. The layout is specified in
 * {@code docs/backup-format.md}:
 *
 * <pre>
 * &lt;backup-id&gt;/
 *   manifest.json                 written last; without it the backup is incomplete
 *   registry.json                 subjects, versions, compatibility and modes
 *   topics.json                   partitions, configs and offset bounds
 *   consumer-groups.json          committed offsets
 *   schemas/&lt;fingerprint&gt;.json   every writer schema, once
 *   topics/&lt;topic&gt;/&lt;partition&gt;/&lt;first offset&gt;.jsonl.zst   record segments (.jsonl.gz: gzip)
 * </pre>
 */
public final class BackupDirectory {

	public static final String MANIFEST = "manifest.json";

	public static final String REGISTRY = "registry.json";

	public static final String TOPICS = "topics.json";

	public static final String CONSUMER_GROUPS = "consumer-groups.json";

	/** The source registry's own export, where it has one (Apicurio): the way to restore it with its ids. */
	public static final String REGISTRY_EXPORT = "registry-export.zip";

	static final String SCHEMAS = "schemas";

	static final String SEGMENTS = "topics";


	private static final String TEMPORARY_PREFIX = ".tmp-";

	private final String id;

	private final Path path;

	BackupDirectory(String id, Path path) {
		this.id = id;
		this.path = path;
	}

	public String id() {
		return this.id;
	}

	public Path path() {
		return this.path;
	}

	public boolean exists() {
		return Files.isDirectory(this.path);
	}

	/** A backup is complete when its manifest exists: the manifest is written last. */
	public boolean isComplete() {
		return Files.isRegularFile(this.path.resolve(MANIFEST));
	}

	/**
	 * The manifest; refuses a manifest of a format version this build does not know, rather than
	 * misread it, and one that cannot be read, naming the file.
	 */
	public Manifest manifest() {
		JsonNode node;
		try {
			node = read(MANIFEST, JsonNode.class);
		}
		catch (UncheckedIOException | JacksonException ex) {
			throw damagedManifest(ex);
		}
		JsonNode version = node.get("formatVersion");
		if (!Manifest.FORMAT.equals(node.path("format").asString(null)) || version == null || !version.isIntegralNumber()) {
			throw new StorageException(resolve(MANIFEST) + " is not a kafka-dr manifest.");
		}
		if (version.intValue() < 1 || version.intValue() > Manifest.FORMAT_VERSION) {
			throw new StorageException("The backup " + this.id + " has format version " + version.intValue()
					+ "; this kafka-dr reads versions 1 to " + Manifest.FORMAT_VERSION + ". Use the kafka-dr release that"
					+ " wrote it, or a newer one.");
		}
		try {
			return ArchiveJson.MAPPER.treeToValue(node, Manifest.class);
		}
		catch (JacksonException ex) {
			throw damagedManifest(ex);
		}
	}

	private StorageException damagedManifest(RuntimeException cause) {
		String reason = (cause instanceof JacksonException json) ? json.getOriginalMessage()
				: (cause.getCause() != null) ? cause.getCause().toString() : cause.getMessage();
		return new StorageException("The manifest of backup " + this.id + " (" + resolve(MANIFEST) + ") cannot be read ("
				+ reason + "): the backup is damaged. Restore another backup; every other backup in the location is"
				+ " unaffected.", cause);
	}

	/**
	 * The id of the backup this one continues as its {@code topics.json} names it, or null: a full
	 * backup, one whose {@code topics} step has not run yet, or a {@code topics.json} that cannot be
	 * read (resuming or verifying the backup reports that). An incomplete backup has no manifest
	 * yet, and this is where its base is written first.
	 */
	public String topicsBase() {
		if (!Files.isRegularFile(resolve(TOPICS))) {
			return null;
		}
		try {
			Manifest.Base base = read(TOPICS, TopicSnapshot.class).base();
			return (base != null) ? base.backupId() : null;
		}
		catch (UncheckedIOException | JacksonException ex) {
			return null;
		}
	}

	/** The directory holding the segments of one topic-partition. */
	public Path partitionDirectory(TopicPartition partition) {
		return this.path.resolve(SEGMENTS).resolve(partition.topic()).resolve(Integer.toString(partition.partition()));
	}

	/** The name of the segment whose first record has this offset; names sort in offset order. */
	public static String segmentName(long firstOffset, SegmentCompression compression) {
		return String.format("%020d", firstOffset) + compression.suffix();
	}

	/** Whether a file name is a segment's. */
	public static boolean isSegmentName(String name) {
		return SegmentCompression.of(name) != null;
	}

	/** Whether a file is a temporary file of {@link #write}, left behind when a write was interrupted. */
	public static boolean isTemporary(Path file) {
		return file.getFileName().toString().startsWith(TEMPORARY_PREFIX);
	}

	/** A path relative to this backup, in the form the manifest uses ('/' separated). */
	public String relative(Path file) {
		return this.path.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
	}

	/** Resolves a path in the manifest's form. */
	public Path resolve(String relative) {
		return this.path.resolve(relative);
	}

	public <T> T read(String relative, Class<T> type) {
		try (InputStream in = Files.newInputStream(resolve(relative))) {
			return ArchiveJson.MAPPER.readValue(in, type);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + resolve(relative), ex);
		}
	}

	/** Writes a JSON file atomically: readers see the old file or the whole new one, never a part. */
	public void write(String relative, Object value) {
		Path target = resolve(relative);
		try {
			OwnerOnly.directories(target.getParent());
			Path temp = Files.createTempFile(target.getParent(), TEMPORARY_PREFIX, ".json");
			try (OutputStream out = Files.newOutputStream(temp)) {
				ArchiveJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, value);
				out.write('\n');
			}
			move(temp, target);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + target, ex);
		}
	}

	/** Writes a binary file atomically, as {@link #write} does. */
	public void writeBytes(String relative, byte[] content) {
		Path target = resolve(relative);
		try {
			OwnerOnly.directories(target.getParent());
			Path temp = Files.createTempFile(target.getParent(), TEMPORARY_PREFIX, ".bin");
			Files.write(temp, content);
			move(temp, target);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + target, ex);
		}
	}

	/** A binary file's content, or empty when the backup has no such file. */
	public Optional<byte[]> readBytes(String relative) {
		Path file = resolve(relative);
		if (!Files.exists(file)) {
			return Optional.empty();
		}
		try {
			return Optional.of(Files.readAllBytes(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + file, ex);
		}
	}

	/** Writes a file once: an existing file is left alone (its name is its content's fingerprint). */
	void writeOnce(String relative, Object value) {
		if (!Files.exists(resolve(relative))) {
			write(relative, value);
		}
	}

	private static void move(Path temp, Path target) throws IOException {
		try {
			Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException | FileAlreadyExistsException ex) {
			Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	/** The total size of the backup's files in bytes. */
	public long sizeInBytes() {
		if (!exists()) {
			return 0;
		}
		try (Stream<Path> files = Files.walk(this.path)) {
			return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
