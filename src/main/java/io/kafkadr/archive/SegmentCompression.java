package io.kafkadr.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;

/**
 * How a segment is compressed, told by its file name. Both write each chunk as one self-contained
 * member (a gzip member, a zstd frame) and both standard readers ({@code zcat}, {@code zstdcat})
 * read concatenated members as one stream, so a segment can be cut back to the end of its last
 * committed chunk and appended to again.
 */
public enum SegmentCompression {

	/** zstd at level 1: the default since format 2, several times gzip's speed and smaller. */
	ZSTD(".jsonl.zst"),

	/** gzip at its fastest level: format 1's only compression, still written on request. */
	GZIP(".jsonl.gz");

	private static final int BUFFER = 1 << 16;

	private final String suffix;

	SegmentCompression(String suffix) {
		this.suffix = suffix;
	}

	/** The file name ending of a segment compressed this way. */
	public String suffix() {
		return this.suffix;
	}

	/** The compression of a segment file name, or null when the name is no segment's. */
	public static SegmentCompression of(String fileName) {
		for (SegmentCompression compression : values()) {
			if (fileName.endsWith(compression.suffix)) {
				return compression;
			}
		}
		return null;
	}

	/** A stream that writes one member; closing it ends the member and closes {@code out}. */
	OutputStream member(OutputStream out) throws IOException {
		return switch (this) {
			case ZSTD -> new ZstdOutputStream(out, 1);
			case GZIP -> new LevelledGzip(out);
		};
	}

	/** A stream of the decompressed content of every member in turn. */
	InputStream reader(InputStream in) throws IOException {
		return switch (this) {
			case ZSTD -> new ZstdInputStream(in);
			case GZIP -> new GZIPInputStream(in, BUFFER);
		};
	}

	/** Fast compression: segments are written once and read rarely, and the backup must keep up with Kafka. */
	private static final class LevelledGzip extends GZIPOutputStream {

		LevelledGzip(OutputStream out) throws IOException {
			super(out, BUFFER);
			this.def.setLevel(Deflater.BEST_SPEED);
		}

	}

}
