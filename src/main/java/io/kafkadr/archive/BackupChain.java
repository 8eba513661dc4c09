package io.kafkadr.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.kafkadr.encryption.EncryptionKeyException;
import io.kafkadr.encryption.KeyRing;
import io.kafkadr.storage.StorageException;

/**
 * A backup with the backups it continues, back to a full one: an incremental backup holds only
 * what was new since its base, so restoring or verifying it means reading its whole chain. Every
 * link is checked when the chain is read: each base is complete, its manifest is the one the next
 * link was taken against (SHA-256), and each partition starts where its base's partition ended.
 */
public final class BackupChain {

	private final List<BackupDirectory> links;

	private final Manifest manifest;

	private BackupChain(List<BackupDirectory> links, Manifest manifest) {
		this.links = links;
		this.manifest = manifest;
	}

	/**
	 * Reads the chain that ends with this complete backup (for a full backup, the backup alone).
	 * @throws StorageException naming the link that is missing, incomplete, replaced or does not fit
	 */
	public static BackupChain of(BackupDirectory newest) {
		List<BackupDirectory> links = new ArrayList<>();
		List<Manifest> manifests = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		BackupDirectory link = newest;
		Manifest manifest = newest.manifest();
		while (true) {
			links.addFirst(link);
			manifests.addFirst(manifest);
			seen.add(link.id());
			if (manifest.base() == null) {
				break;
			}
			String baseId = manifest.base().backupId();
			BackupDirectory base = link.sibling(baseId);
			if (seen.contains(baseId)) {
				throw broken(newest, "the backup " + link.id() + " names " + baseId + " as its base, which comes after it");
			}
			if (!base.isComplete()) {
				throw broken(newest, "the backup " + link.id() + " continues " + baseId + ", which is "
						+ (base.exists() ? "incomplete" : "gone from the storage location"));
			}
			String sha256 = base.sha256(BackupDirectory.MANIFEST);
			if (!sha256.equals(manifest.base().manifestSha256())) {
				throw broken(newest, "the backup " + link.id() + " continues " + baseId + " whose manifest had SHA-256 "
						+ manifest.base().manifestSha256() + ", but it now has " + sha256 + " (replaced or damaged)");
			}
			link = base;
			manifest = base.manifest();
		}
		return new BackupChain(List.copyOf(links), whole(newest, links, manifests));
	}

	private static StorageException broken(BackupDirectory newest, String problem) {
		return new StorageException("The backup " + newest.id() + " cannot be read whole: " + problem + ". An incremental"
				+ " backup needs every backup it continues; restore an older complete chain, or take a full backup"
				+ " (`kafka-dr backup --full`).");
	}

	/**
	 * The ids of the keys the chain's files are encrypted with that the key ring lacks: while any
	 * are, its checksums can be checked but not its records.
	 */
	public List<String> missingKeys() {
		Manifest whole = manifest();
		if (!whole.encrypted()) {
			return List.of();
		}
		KeyRing keys = newest().keys();
		return whole.encryption().keyIds().stream().filter(id -> keys.key(id).isEmpty()).toList();
	}

	/**
	 * Proves that the chain can be decrypted before anything is written: the key ring holds every key
	 * the manifests name, and each of those keys is the one files were encrypted with (a key
	 * replaced under its id is found here, on the first file that names it).
	 * @throws StorageException naming the keys that are missing or do not match, and what to do
	 */
	public void requireKeys() {
		List<String> missing = missingKeys();
		KeyRing keys = newest().keys();
		if (!missing.isEmpty()) {
			throw new StorageException("The backup " + newest().id() + " is encrypted with the key" + ((missing.size() > 1)
					? "s " : " ") + String.join(", ", missing) + ", which " + (keys.encrypts()
							? "the key file " + keys.file() + " does not hold (it holds " + String.join(", ", keys.ids())
									+ ")"
							: "no key file was given for")
					+ ". Set " + KeyRing.SETTING + " to a key file holding "
					+ ((missing.size() > 1) ? "them" : "it") + "; nothing was written.");
		}
		Set<String> proven = new HashSet<>();
		for (BackupDirectory link : this.links) {
			for (Manifest.FileEntry file : link.manifest().files()) {
				if (!BackupDirectory.holdsRecordsOrSchemas(file.path())) {
					continue;
				}
				Optional<String> keyId = link.keyId(file.path());
				if (keyId.isPresent() && proven.add(keyId.get())) {
					try (InputStream in = link.open(file.path())) {
						in.read();
					}
					catch (EncryptionKeyException ex) {
						throw new StorageException(ex.getMessage() + " Nothing was written.", ex);
					}
					catch (IOException ex) {
						throw new UncheckedIOException("Cannot read " + link.describe(file.path()), ex);
					}
				}
			}
		}
	}

	/** The backups of the chain, the full backup first and this chain's newest last. */
	public List<BackupDirectory> links() {
		return this.links;
	}

	/** The backup the chain ends with. */
	public BackupDirectory newest() {
		return this.links.getLast();
	}

	/**
	 * A file of one of the chain's backups, as a path relative to the newest backup's directory:
	 * a base's files are reached through {@code ../<base id>/}.
	 */
	public String pathFromNewest(BackupDirectory link, String relative) {
		return fromNewest(newest(), link, relative);
	}

	private static String fromNewest(BackupDirectory newest, BackupDirectory link, String relative) {
		return link.id().equals(newest.id()) ? relative : "../" + link.id() + "/" + relative;
	}

	/**
	 * The chain as if it were one full backup: the newest backup's manifest whose partitions hold
	 * the records of every link, in offset order, with the newest link's digests (which continue
	 * their bases'). Segment paths are relative to the newest backup's directory, so a segment of a
	 * base is named through {@code ../<base id>/}, and every reader resolves them alike.
	 */
	public Manifest manifest() {
		return this.manifest;
	}

	private static Manifest whole(BackupDirectory newest, List<BackupDirectory> links, List<Manifest> manifests) {
		Manifest last = manifests.getLast();
		if (links.size() == 1) {
			return last;
		}
		// Per link, the partitions of the chain up to it, by topic and partition.
		Map<String, Map<Integer, Manifest.Partition>> chain = Map.of();
		for (int i = 0; i < links.size(); i++) {
			BackupDirectory link = links.get(i);
			Map<String, Map<Integer, Manifest.Partition>> next = new LinkedHashMap<>();
			for (Manifest.Topic topic : manifests.get(i).topics()) {
				Map<Integer, Manifest.Partition> partitions = new LinkedHashMap<>();
				for (Manifest.Partition own : topic.partitions()) {
					Manifest.Partition moved = fromNewest(newest, link, own);
					if (own.base() == null) {
						partitions.put(own.partition(), moved);
						continue;
					}
					Manifest.Partition before = chain.getOrDefault(topic.name(), Map.of()).get(own.partition());
					String where = "partition " + topic.name() + "-" + own.partition() + " of " + link.id();
					if (before == null) {
						throw broken(newest, where + " continues its base " + links.get(i - 1).id()
								+ ", which has no such partition");
					}
					if (before.endOffset() != own.base().endOffset()
							|| !before.contentDigest().equals(own.base().contentDigest())
							|| own.startOffset() < own.base().endOffset()) {
						throw broken(newest, where + " continues at offset " + own.base().endOffset() + " after digest "
								+ own.base().contentDigest() + ", but the chain before it ends at offset "
								+ before.endOffset() + " with digest " + before.contentDigest());
					}
					partitions.put(own.partition(), joined(before, moved));
				}
				next.put(topic.name(), partitions);
			}
			chain = next;
		}
		List<Manifest.Topic> topics = new ArrayList<>();
		long records = 0;
		long bytes = 0;
		for (Manifest.Topic topic : last.topics()) {
			List<Manifest.Partition> partitions = new ArrayList<>(chain.get(topic.name()).values());
			for (Manifest.Partition partition : partitions) {
				records += partition.records();
				bytes += partition.segments().stream().mapToLong(Manifest.Segment::bytes).sum();
			}
			topics.add(new Manifest.Topic(topic.name(), topic.kind(), partitions));
		}
		Manifest.Totals totals = new Manifest.Totals(last.totals().topics(), last.totals().partitions(), records, bytes,
				last.totals().schemas(), last.totals().consumerGroups());
		Set<String> keyIds = new TreeSet<>();
		manifests.stream().filter(Manifest::encrypted).forEach(manifest -> keyIds.addAll(manifest.encryption().keyIds()));
		Manifest.Encryption encryption = Manifest.Encryption.of(keyIds);
		return new Manifest(last.format(), last.formatVersion(), last.backupId(), last.createdBy(), last.startedAt(),
				last.completedAt(), null, encryption, last.source(), totals, topics, last.files());
	}

	/** A partition of one link, its segments named from the newest backup's directory. */
	private static Manifest.Partition fromNewest(BackupDirectory newest, BackupDirectory link,
			Manifest.Partition partition) {
		if (link.id().equals(newest.id())) {
			return partition;
		}
		List<Manifest.Segment> segments = partition.segments()
			.stream()
			.map(s -> new Manifest.Segment(fromNewest(newest, link, s.file()), s.records(), s.firstOffset(),
					s.lastOffset(), s.bytes(), s.sha256()))
			.toList();
		return new Manifest.Partition(partition.partition(), partition.startOffset(), partition.endOffset(),
				partition.records(), partition.firstOffset(), partition.lastOffset(), partition.contentDigest(), segments,
				partition.undecodedRecords(), partition.base(), partition.gapOffsets());
	}

	/** The records of {@code before} followed by those of {@code after}, which continues it. */
	private static Manifest.Partition joined(Manifest.Partition before, Manifest.Partition after) {
		List<Manifest.Segment> segments = new ArrayList<>(before.segments());
		segments.addAll(after.segments());
		Long undecoded = (before.undecodedRecords() == null && after.undecodedRecords() == null) ? null
				: before.undecoded() + after.undecoded();
		return new Manifest.Partition(after.partition(), before.startOffset(), after.endOffset(),
				before.records() + after.records(),
				(before.firstOffset() != null) ? before.firstOffset() : after.firstOffset(),
				(after.lastOffset() != null) ? after.lastOffset() : before.lastOffset(), after.contentDigest(), segments,
				undecoded, null, before.gap() + after.gap());
	}

}
