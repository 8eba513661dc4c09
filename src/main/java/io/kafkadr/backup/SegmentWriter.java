package io.kafkadr.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.kafkadr.archive.ArchiveJson;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.ContentDigest;
import io.kafkadr.archive.EncodedRecord;
import io.kafkadr.archive.SegmentAppender;
import io.kafkadr.archive.SegmentCompression;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;
import tools.jackson.core.type.TypeReference;

/**
 * Writes a partition's encoded records into segment files, one compressed member per chunk, and keeps in
 * the step's execution context everything needed to resume and to seal: the open segment and its
 * committed length, the closed segments, counts, and the content digest chain.
 *
 * <p>Writing is idempotent across restarts: on open, the open segment is cut back to its committed
 * length and segment files the context does not know (started by a chunk that never committed) are
 * deleted.
 */
public class SegmentWriter implements ItemStreamWriter<EncodedRecord> {

	static final String STATE = "writer.state";

	private final Path directory;

	private final long segmentSize;

	private final SegmentCompression compression;

	private final ContentDigest digest = new ContentDigest();

	private PartitionState state;

	private SegmentAppender appender;

	/**
	 * @param compression of the segments this writer starts; an open segment a restart continues
	 * keeps its own, which its name tells
	 */
	public SegmentWriter(Path directory, long segmentSize, SegmentCompression compression) {
		this.directory = directory;
		this.segmentSize = segmentSize;
		this.compression = compression;
	}

	@Override
	public void open(ExecutionContext context) {
		this.state = context.containsKey(STATE) ? PartitionState.fromJson(context.getString(STATE)) : PartitionState.EMPTY;
		deleteUncommittedSegments();
		PartitionState.Segment open = this.state.open();
		if (open != null) {
			this.appender = new SegmentAppender(this.directory.resolve(open.file()), open.bytes());
		}
	}

	@Override
	public void write(Chunk<? extends EncodedRecord> chunk) {
		List<? extends EncodedRecord> records = chunk.getItems();
		if (records.isEmpty()) {
			return;
		}
		PartitionState.Segment open = this.state.open();
		if (open == null || open.uncompressedBytes() >= this.segmentSize) {
			rollTo(records.get(0).offset());
			open = this.state.open();
		}
		List<byte[]> lines = new ArrayList<>(records.size());
		byte[] chain = ContentDigest.fromHex(this.state.contentDigest());
		long uncompressed = 0;
		for (EncodedRecord record : records) {
			lines.add(record.line());
			uncompressed += record.line().length;
			chain = this.digest.chain(chain, record.digest());
		}
		long length = this.appender.append(lines);
		long last = records.get(records.size() - 1).offset();
		this.state = this.state.withOpen(open.append(records.size(), last, length, uncompressed), records.get(0).offset(),
				last, records.size(), ContentDigest.hex(chain));
	}

	private void rollTo(long firstOffset) {
		if (this.appender != null) {
			this.appender.close();
		}
		String file = BackupDirectory.segmentName(firstOffset, this.compression);
		this.appender = new SegmentAppender(this.directory.resolve(file), 0);
		this.state = this.state.rolledTo(new PartitionState.Segment(file, 0, firstOffset, firstOffset, 0, 0));
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
		this.state.segments().forEach(segment -> known.add(segment.file()));
		if (!Files.isDirectory(this.directory)) {
			return;
		}
		try (Stream<Path> files = Files.list(this.directory)) {
			for (Path file : files.toList()) {
				String name = file.getFileName().toString();
				if (BackupDirectory.isSegmentName(name) && !known.contains(name)) {
					Files.delete(file);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot clean up " + this.directory, ex);
		}
	}

	/** Reads the state a partition's writer left in its step execution context. */
	public static PartitionState state(ExecutionContext context) {
		return context.containsKey(STATE) ? PartitionState.fromJson(context.getString(STATE)) : PartitionState.EMPTY;
	}

	/**
	 * What a partition's writer has committed: its segments in order (the last one open), the
	 * first and last offset and number of records written, and the content digest chain.
	 */
	public record PartitionState(List<Segment> segments, Long firstOffset, Long lastOffset, long records,
			String contentDigest) {

		static final PartitionState EMPTY = new PartitionState(List.of(), null, null, 0,
				ContentDigest.hex(ContentDigest.EMPTY));

		/** One segment file; {@code bytes} is its committed (compressed) length. */
		public record Segment(String file, long records, long firstOffset, long lastOffset, long bytes,
				long uncompressedBytes) {

			Segment append(long count, long last, long length, long uncompressed) {
				return new Segment(this.file, this.records + count, this.firstOffset, last, length,
						this.uncompressedBytes + uncompressed);
			}

		}

		Segment open() {
			return this.segments.isEmpty() ? null : this.segments.get(this.segments.size() - 1);
		}

		PartitionState rolledTo(Segment segment) {
			List<Segment> next = new ArrayList<>(this.segments);
			next.add(segment);
			return new PartitionState(next, this.firstOffset, this.lastOffset, this.records, this.contentDigest);
		}

		PartitionState withOpen(Segment segment, long first, long last, long count, String chain) {
			List<Segment> next = new ArrayList<>(this.segments);
			next.set(next.size() - 1, segment);
			return new PartitionState(next, (this.firstOffset != null) ? this.firstOffset : first, last,
					this.records + count, chain);
		}

		String toJson() {
			return ArchiveJson.MAPPER.writeValueAsString(this);
		}

		static PartitionState fromJson(String json) {
			return ArchiveJson.MAPPER.readValue(json, new TypeReference<PartitionState>() {
			});
		}

	}

}
