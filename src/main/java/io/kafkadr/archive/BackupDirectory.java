package io.kafkadr.archive;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.kafkadr.encryption.BlockEncryptor;
import io.kafkadr.encryption.EncryptedFiles;
import io.kafkadr.encryption.KeyRing;
import io.kafkadr.storage.Append;
import io.kafkadr.storage.ObjectStore;
import io.kafkadr.storage.StorageException;
import io.kafkadr.storage.StoredObject;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One backup: the objects of a storage location under the backup id (a directory on a local
 * location), named here by their paths relative to the backup, as the manifest names them. The
 * layout is specified in {@code docs/backup-format.md}:
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


	private final String id;

	private final ObjectStore store;

	private final KeyRing keys;

	BackupDirectory(String id, ObjectStore store, KeyRing keys) {
		this.id = id;
		this.store = store;
		this.keys = keys;
	}

	public String id() {
		return this.id;
	}

	/** Where the backup is, for messages: its directory, or its {@code s3://} URI. */
	public String location() {
		return this.store.describe(this.id);
	}

	/** The keys the backup's encrypted files are read with. */
	public KeyRing keys() {
		return this.keys;
	}

	/** The store holding the backup. */
	public ObjectStore store() {
		return this.store;
	}

	/** Another backup of the same storage location. */
	BackupDirectory sibling(String id) {
		return new BackupDirectory(BackupStorage.checkBackupId(id), this.store, this.keys);
	}

	public boolean exists() {
		return this.store.directories("").contains(this.id);
	}

	/** A backup is complete when its manifest exists: the manifest is written last. */
	public boolean isComplete() {
		return this.store.exists(key(MANIFEST));
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
			throw new StorageException(describe(MANIFEST) + " is not a kafka-dr manifest.");
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
		return new StorageException("The manifest of backup " + this.id + " (" + describe(MANIFEST) + ") cannot be read ("
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
		if (!contains(TOPICS)) {
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

	/** Where the segments of one topic-partition are, relative to the backup and ending in '/'. */
	public static String partitionPath(TopicPartition partition) {
		return SEGMENTS + "/" + partition.topic() + "/" + partition.partition() + "/";
	}

	/** The name of the segment whose first record has this offset; names sort in offset order. */
	public static String segmentName(long firstOffset, SegmentCompression compression) {
		return String.format("%020d", firstOffset) + compression.suffix();
	}

	/** Whether a file name is a segment's. */
	public static boolean isSegmentName(String name) {
		return SegmentCompression.of(name) != null;
	}

	/**
	 * Whether a file is one that an encrypted backup encrypts: every file that holds record data or
	 * schemas (segments, stored schemas, the registry's subjects and export). The manifest, the topic
	 * and consumer-group documents and the job's bookkeeping stay readable without the key.
	 */
	public static boolean holdsRecordsOrSchemas(String path) {
		String name = path.substring(path.lastIndexOf('/') + 1);
		return (path.startsWith(SEGMENTS + "/") && isSegmentName(name)) || path.startsWith(SCHEMAS + "/")
				|| path.equals(REGISTRY) || path.equals(REGISTRY_EXPORT);
	}

	/** Whether a file is a temporary file of an interrupted write. */
	public static boolean isTemporary(String path) {
		return path.substring(path.lastIndexOf('/') + 1).startsWith(ObjectStore.TEMPORARY_PREFIX);
	}

	/**
	 * The store's key of a path relative to this backup. A path may name a file of another backup
	 * of the location as {@code ../<id>/...}, as a chain's merged manifest does; nothing else may
	 * leave the backup, so that a manifest cannot make a reader open files outside the location.
	 */
	public String key(String relative) {
		String key = this.id + "/" + relative;
		if (relative.startsWith("../")) {
			String other = relative.substring(3);
			int slash = other.indexOf('/');
			BackupStorage.checkBackupId((slash < 0) ? other : other.substring(0, slash));
			key = other;
		}
		for (String part : key.split("/")) {
			if (part.equals("..") || part.equals(".")) {
				throw new StorageException("The backup " + this.id + " names the file '" + relative + "', which leaves its"
						+ " backup: the manifest is damaged or was altered.");
			}
		}
		return key;
	}

	/** A path relative to this backup, from a key of the store under it. */
	public String relative(String key) {
		return key.substring(this.id.length() + 1);
	}

	/** Where a file of the backup is, for messages. */
	public String describe(String relative) {
		return this.store.describe(key(relative));
	}

	/** Whether the backup holds this file. */
	public boolean contains(String relative) {
		return this.store.exists(key(relative));
	}

	/** The size of one of the backup's files. */
	public long size(String relative) {
		return this.store.size(key(relative));
	}

	/**
	 * Streams one of the backup's files as it was written: an encrypted file is decrypted, and
	 * authenticated block by block as it is read.
	 * @throws io.kafkadr.encryption.EncryptionKeyException when the key file lacks the key the
	 * file names, or holds another key under its id
	 */
	public InputStream open(String relative) {
		InputStream stored = new BufferedInputStream(openStored(relative), 1 << 16);
		try {
			stored.mark(EncryptedFiles.MAGIC_LENGTH);
			byte[] start = stored.readNBytes(EncryptedFiles.MAGIC_LENGTH);
			stored.reset();
			return EncryptedFiles.isEncrypted(start) ? EncryptedFiles.decrypting(stored, pathInBackup(relative), this.keys)
					: stored;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + describe(relative) + ": " + ex.getMessage(), ex);
		}
	}

	/** Streams one of the backup's files as stored: an encrypted file's ciphertext. */
	public InputStream openStored(String relative) {
		return this.store.read(key(relative));
	}

	/** The id of the key an encrypted file of the backup names; empty for a file stored in the clear. */
	public Optional<String> keyId(String relative) {
		try (InputStream stored = openStored(relative)) {
			return EncryptedFiles.keyId(stored.readNBytes(EncryptedFiles.HEADER_MAX_LENGTH));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + describe(relative), ex);
		}
	}

	/** A file's path within the backup it belongs to: the path a chain names as {@code ../<id>/...} without that prefix. */
	private static String pathInBackup(String relative) {
		return relative.startsWith("../") ? relative.substring(relative.indexOf('/', 3) + 1) : relative;
	}

	/** The lines of one of the backup's segments. */
	public SegmentLines segmentLines(String relative) {
		return new SegmentLines(open(relative), relative, describe(relative));
	}

	/**
	 * Opens one of the backup's segments for appending at a committed position (see
	 * {@link SegmentAppender}). A new segment is encrypted when there is a key file, with its first
	 * key; a segment a restart continues keeps the key it began with ({@code keyId}, null for one
	 * written in the clear).
	 */
	public SegmentAppender appendSegment(String relative, Append committed, String keyId) {
		BlockEncryptor encryptor = null;
		if (committed.bytes() == 0 && this.keys.encrypts()) {
			encryptor = BlockEncryptor.forNewFile(this.keys, relative);
		}
		else if (committed.bytes() > 0 && keyId != null) {
			encryptor = BlockEncryptor.forResumedFile(this.keys, keyId, relative);
		}
		return new SegmentAppender(this.store, key(relative), committed, encryptor);
	}

	/** The files of the backup whose paths start with {@code relativePrefix}. */
	public List<StoredObject> files(String relativePrefix) {
		return this.store.list(key(relativePrefix));
	}

	public <T> T read(String relative, Class<T> type) {
		try (InputStream in = open(relative)) {
			return ArchiveJson.MAPPER.readValue(in, type);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + describe(relative), ex);
		}
	}

	/** Writes a JSON file atomically: readers see the old file or the whole new one, never a part. */
	public void write(String relative, Object value) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ArchiveJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, value);
		out.write('\n');
		writeBytes(relative, out.toByteArray());
	}

	/**
	 * Writes a binary file atomically, as {@link #write} does; encrypted when there is a key file and
	 * the file {@linkplain #holdsRecordsOrSchemas holds records or schemas}.
	 */
	public void writeBytes(String relative, byte[] content) {
		boolean encrypt = this.keys.encrypts() && holdsRecordsOrSchemas(relative);
		this.store.write(key(relative), encrypt ? EncryptedFiles.encrypt(content, relative, this.keys) : content);
	}

	/** A binary file's content, or empty when the backup has no such file. */
	public Optional<byte[]> readBytes(String relative) {
		if (!contains(relative)) {
			return Optional.empty();
		}
		try (InputStream in = open(relative)) {
			return Optional.of(in.readAllBytes());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + describe(relative), ex);
		}
	}

	/** Writes a file once: an existing file is left alone (its name is its content's fingerprint). */
	void writeOnce(String relative, Object value) {
		if (!contains(relative)) {
			write(relative, value);
		}
	}

	/** The SHA-256 of one of the backup's files as stored (for an encrypted file, of its ciphertext), as the manifest records it. */
	public String sha256(String relative) {
		return inspect(relative).sha256();
	}

	/**
	 * One of the backup's files as stored, in one read: its SHA-256 (of the ciphertext, for an
	 * encrypted file) and the key its header names (empty for a file in the clear).
	 */
	public StoredFile inspect(String relative) {
		MessageDigest digest = Checksums.sha256();
		try (InputStream in = new DigestInputStream(openStored(relative), digest)) {
			byte[] start = in.readNBytes(EncryptedFiles.HEADER_MAX_LENGTH);
			in.transferTo(OutputStream.nullOutputStream());
			return new StoredFile(HexFormat.of().formatHex(digest.digest()), EncryptedFiles.keyId(start));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + describe(relative), ex);
		}
	}

	/** What {@link #inspect} reads of a stored file. */
	public record StoredFile(String sha256, Optional<String> keyId) {
	}

	/** When any of the backup's files was last written; the epoch for a backup with none. */
	public Instant lastModified() {
		return files("").stream().map(StoredObject::lastModified).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
	}

	/** The total size of the backup's files in bytes. */
	public long sizeInBytes() {
		return files("").stream().mapToLong(StoredObject::size).sum();
	}

}
