package io.kafkadr.backup;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.kafkadr.archive.ArchiveJson;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.ContentDigest;
import io.kafkadr.archive.EncodedBlock;
import io.kafkadr.archive.SegmentAppender;
import io.kafkadr.archive.SegmentCompression;
import io.kafkadr.storage.Append;
import io.kafkadr.storage.ObjectStore;
import io.kafkadr.storage.StoredObject;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;

/**
 * Writes a partition's encoded blocks into segment files, one compressed member per block, and keeps in
 * the step's execution context everything needed to resume and to seal: the open segment and its
 * committed length, how many segments are closed (their list is in the {@link ClosedSegmentLog}),
 * counts, and the content digest chain.
 *
 * <p>Writing is idempotent across restarts: on open, the open segment is cut back to its committed
 * position and segments the context does not know (started by a chunk that never committed) are
 * discarded. A closed segment becomes readable when the backup is sealed ({@link #completeSegments}):
 * only then is every segment's position committed.
 */
public class SegmentWriter implements ItemStreamWriter<EncodedBlock> {

	static final String STATE = "writer.state";

	private final BackupDirectory backup;

	private final ObjectStore store;

	/** The partition's segments' path within the backup, ending in '/'. */
	private final String path;

	/** Their keys' prefix in the store. */
	private final String directory;

	private final long segmentSize;

	private final SegmentCompression compression;

	private final ClosedSegmentLog closed;

	private final String startDigest;

	private final ContentDigest digest = new ContentDigest();

	private PartitionState state;

	private SegmentAppender appender;

	/**
	 * @param compression of the segments this writer starts; an open segment a restart continues
	 * keeps its own, which its name tells
	 */
	public SegmentWriter(BackupDirectory backup, String path, long segmentSize, SegmentCompression compression) {
		this(backup, path, segmentSize, compression, null);
	}

	/**
	 * @param startDigest for a partition of an incremental backup that continues its base, the
	 * content digest of the chain before it, which this partition's digest continues; otherwise null
	 * @param path where the partition's segments are within the backup, ending in '/'
	 */
	public SegmentWriter(BackupDirectory backup, String path, long segmentSize, SegmentCompression compression,
			String startDigest) {
		this.backup = backup;
		this.store = backup.store();
		this.path = path;
		this.directory = backup.key(path);
		this.segmentSize = segmentSize;
		this.compression = compression;
		this.closed = new ClosedSegmentLog(store, directory);
		this.startDigest = startDigest;
	}

	@Override
	public void open(ExecutionContext context) {
		this.state = state(context, this.store, this.directory, this.startDigest);
		this.closed.truncate(this.state.closedSegments());
		deleteUncommittedSegments();
		PartitionState.Segment open = this.state.open();
		if (open != null) {
			this.appender = this.backup.appendSegment(this.path + open.file(), open.position(), open.keyId());
		}
	}

	@Override
	public void write(Chunk<? extends EncodedBlock> chunk) {
		this.store.requireLocksHeld();
		for (EncodedBlock block : chunk) {
			write(block);
		}
	}

	private void write(EncodedBlock block) {
		PartitionState.Segment open = this.state.open();
		if (open == null || open.uncompressedBytes() >= this.segmentSize) {
			rollTo(block.firstOffset());
			open = this.state.open();
		}
		byte[] chain = ContentDigest.fromHex(this.state.contentDigest());
		for (int i = 0; i < block.records(); i++) {
			chain = this.digest.chain(chain, block.digests(), i * ContentDigest.LENGTH);
		}
		Append position = this.appender.append(block.lines(), 0, block.length());
		this.state = this.state.withOpen(
				open.append(block.records(), block.lastOffset(), position, block.length(), this.appender.sha256()),
				block.firstOffset(), block.lastOffset(), block.records(), block.undecodedRecords(), ContentDigest.hex(chain));
	}

	private void rollTo(long firstOffset) {
		PartitionState.Segment closing = this.state.open();
		if (this.appender != null) {
			closing = closing.at(this.appender.finish());
			this.appender.close();
		}
		if (closing != null) {
			// Before the chunk commits: a restart cuts the log back to the count that commit saves.
			this.closed.append(closing);
		}
		String file = BackupDirectory.segmentName(firstOffset, this.compression);
		this.appender = this.backup.appendSegment(this.path + file, Append.EMPTY, null);
		this.state = this.state.rolledTo(
				new PartitionState.Segment(file, 0, firstOffset, firstOffset, 0, 0, null, null, this.appender.keyId()));
	}

	@Override
	public void update(ExecutionContext context) {
		context.putString(STATE, this.state.toJson());
	}

	@Override
	public void close() {
		if (this.appender != null) {
			this.appender.close();
			this.appender = null;
		}
	}

	private void deleteUncommittedSegments() {
		Set<String> known = new HashSet<>();
		this.closed.read(this.state.closedSegments()).forEach(segment -> known.add(this.directory + segment.file()));
		if (this.state.open() != null) {
			known.add(this.directory + this.state.open().file());
		}
		Set<String> uncommitted = new HashSet<>(this.store.unfinishedAppends(this.directory));
		this.store.list(this.directory).stream().map(StoredObject::key).forEach(uncommitted::add);
		for (String key : uncommitted) {
			String name = key.substring(this.directory.length());
			if (!name.contains("/") && BackupDirectory.isSegmentName(name) && !known.contains(key)) {
				this.store.discard(key);
			}
		}
	}

	/**
	 * Makes every committed segment of a partition readable in the store, ending the open one, and
	 * returns them all in order. Runs when the backup is sealed; running it again is harmless.
	 */
	static List<PartitionState.Segment> completeSegments(PartitionState state, BackupDirectory backup, String path) {
		ObjectStore store = backup.store();
		List<PartitionState.Segment> segments = segments(state, store, backup.key(path));
		// one listing for the partition, not a request per segment
		Map<String, Long> stored = new HashMap<>();
		store.list(backup.key(path)).forEach(object -> stored.put(object.key(), object.size()));
		for (int i = 0; i < segments.size(); i++) {
			PartitionState.Segment segment = segments.get(i);
			String key = backup.key(path + segment.file());
			if (Long.valueOf(segment.bytes()).equals(stored.get(key))) {
				continue;
			}
			if (i == segments.size() - 1 && segment == state.open()) {
				try (SegmentAppender open = backup.appendSegment(path + segment.file(), segment.position(),
						segment.keyId())) {
					segment = segment.at(open.finish());
				}
			}
			store.complete(key, segment.position());
		}
		return segments;
	}

	/**
	 * Reads the state a partition's writer left in its step execution context. A state saved by a
	 * release that kept every segment in the context has its closed segments moved to the log.
	 */
	static PartitionState state(ExecutionContext context, ObjectStore store, String directory) {
		return state(context, store, directory, null);
	}

	/** As {@link #state(ExecutionContext, ObjectStore, String)}, for a partition whose digest continues {@code startDigest}. */
	static PartitionState state(ExecutionContext context, ObjectStore store, String directory, String startDigest) {
		if (!context.containsKey(STATE)) {
			return (startDigest != null) ? PartitionState.EMPTY.continuing(startDigest) : PartitionState.EMPTY;
		}
		JsonNode node = ArchiveJson.MAPPER.readTree(context.getString(STATE));
		if (!node.has("segments")) {
			return ArchiveJson.MAPPER.treeToValue(node, PartitionState.class);
		}
		List<PartitionState.Segment> segments = ArchiveJson.MAPPER.readValue(node.get("segments").toString(),
				new TypeReference<List<PartitionState.Segment>>() {
				});
		ClosedSegmentLog log = new ClosedSegmentLog(store, directory);
		log.truncate(0);
		segments.subList(0, Math.max(0, segments.size() - 1)).forEach(log::append);
		return new PartitionState(Math.max(0, segments.size() - 1), segments.isEmpty() ? null : segments.getLast(),
				node.get("firstOffset").isNull() ? null : node.get("firstOffset").longValue(),
				node.get("lastOffset").isNull() ? null : node.get("lastOffset").longValue(), node.get("records").longValue(),
				0L, node.get("contentDigest").stringValue());
	}

	/** Every segment a partition's writer has committed, in order: the closed ones, then the open one. */
	static List<PartitionState.Segment> segments(PartitionState state, ObjectStore store, String directory) {
		List<PartitionState.Segment> segments = new ClosedSegmentLog(store, directory).read(state.closedSegments());
		if (state.open() != null) {
			segments.add(state.open());
		}
		return segments;
	}

	/**
	 * What a partition's writer has committed: how many segments it closed, the open one, the first
	 * and last offset and number of records written, how many of those have a key or value kept
	 * undecoded, and the content digest chain. Its size does not grow with the number of segments.
	 */
	public record PartitionState(int closedSegments, Segment open, Long firstOffset, Long lastOffset, long records,
			Long undecodedRecords, String contentDigest) {

		static final PartitionState EMPTY = new PartitionState(0, null, null, null, 0, 0L,
				ContentDigest.hex(ContentDigest.EMPTY));

		/** The undecoded records; a state saved before they were counted has none. */
		long undecoded() {
			return (this.undecodedRecords != null) ? this.undecodedRecords : 0;
		}

		/**
		 * One segment file; {@code bytes} is its committed (compressed) length, {@code upload} what
		 * the store needs to go on appending it or to complete it ({@link Append#upload}), and
		 * {@code sha256} that of its committed bytes where the writer saw them all (otherwise null), and
		 * {@code keyId} the key it is encrypted with (null in the clear).
		 */
		public record Segment(String file, long records, long firstOffset, long lastOffset, long bytes,
				long uncompressedBytes, String upload, String sha256, String keyId) {

			Segment append(long count, long last, Append position, long uncompressed, String stored) {
				return new Segment(this.file, this.records + count, this.firstOffset, last, position.bytes(),
						this.uncompressedBytes + uncompressed, position.upload(), stored, this.keyId);
			}

			Segment at(Append position) {
				return new Segment(this.file, this.records, this.firstOffset, this.lastOffset, position.bytes(),
						this.uncompressedBytes, position.upload(), this.sha256, this.keyId);
			}

			Append position() {
				return new Append(this.bytes, this.upload);
			}

		}

		PartitionState continuing(String chain) {
			return new PartitionState(this.closedSegments, this.open, this.firstOffset, this.lastOffset, this.records,
					this.undecodedRecords, chain);
		}

		PartitionState rolledTo(Segment segment) {
			return new PartitionState((this.open != null) ? this.closedSegments + 1 : this.closedSegments, segment,
					this.firstOffset, this.lastOffset, this.records, this.undecodedRecords, this.contentDigest);
		}

		PartitionState withOpen(Segment segment, long first, long last, long count, long undecoded, String chain) {
			return new PartitionState(this.closedSegments, segment, (this.firstOffset != null) ? this.firstOffset : first,
					last, this.records + count, undecoded() + undecoded, chain);
		}

		String toJson() {
			return ArchiveJson.MAPPER.writeValueAsString(this);
		}

	}

}
