package io.kafkadr.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import com.github.luben.zstd.Zstd;
import io.kafkadr.archive.EncodedBlock;
import io.kafkadr.archive.RecordLineWriter;
import io.kafkadr.archive.WriterSchema;
import io.kafkadr.avro.ConfluentWireFormat;
import io.kafkadr.avro.WireFormat;
import io.kafkadr.bench.Report.Row;
import io.kafkadr.bench.Report.Scenario;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.xerial.snappy.Snappy;

/**
 * The segment compression candidates on one committed chunk of real segment lines (half raw-topic
 * records, half decoded change events): how fast each compresses, and how small. One operation is
 * one record line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SegmentCompressionBenchmark {

	static final int LINES = 2000;

	static final List<String> CODECS = List.of("gzip-1", "gzip-6", "zstd-1", "zstd-3", "lz4", "snappy");

	@Param({ "gzip-1", "gzip-6", "zstd-1", "zstd-3", "lz4", "snappy" })
	public String codec;

	private byte[] chunk;

	@Setup
	public void chunk() {
		this.chunk = lines();
	}

	@Benchmark
	@OperationsPerInvocation(LINES)
	public int compress() {
		return compress(this.codec, this.chunk).length;
	}

	static byte[] compress(String codec, byte[] data) {
		try {
			if (codec.startsWith("zstd-")) {
				return Zstd.compress(data, Integer.parseInt(codec.substring(5)));
			}
			if (codec.equals("snappy")) {
				return Snappy.compress(data);
			}
			ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2);
			try (OutputStream compressed = codec.equals("lz4") ? new LZ4FrameOutputStream(out) : new LevelledGzip(out,
					Integer.parseInt(codec.substring(5)))) {
				compressed.write(data);
			}
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A chunk as the backup writes it: {@link RecordLineWriter}'s lines, one after another. */
	static byte[] lines() {
		ChangeEvents events = new ChangeEvents(11);
		WriterSchema v1 = new WriterSchema("00000000000000000000000000000001", ChangeEvents.VALUE_V1);
		WriterSchema v2 = new WriterSchema("00000000000000000000000000000002", ChangeEvents.VALUE_V2);
		WriterSchema key = new WriterSchema("00000000000000000000000000000003", ChangeEvents.KEY);
		RecordLineWriter avro = new RecordLineWriter(true, WireFormat.CONFLUENT, (kind, id) -> (id == 1) ? v1 : (id == 2) ? v2 : key,
				true);
		RecordLineWriter raw = new RecordLineWriter(false, null, null, true);
		SplittableRandom random = new SplittableRandom(3);
		ByteArrayOutputStream chunk = new ByteArrayOutputStream();
		for (int i = 0; i < LINES; i++) {
			ConsumerRecord<byte[], byte[]> record;
			if (i % 2 == 0) {
				record = new ConsumerRecord<>("raw-300", 0, i, ("customer-" + i).getBytes(StandardCharsets.UTF_8),
						DataSets.textValue(i, 300, random).getBytes(StandardCharsets.UTF_8));
			}
			else {
				int version = 1 + (i / 2) % 2;
				record = new ConsumerRecord<>("avro-cdc", 0, i, ConfluentWireFormat.encode(3, events.key(i % 500)),
						ConfluentWireFormat.encode(version, events.value(i, i % 500, version)));
			}
			EncodedBlock line = ((i % 2 == 0) ? raw : avro).encode(List.of(record));
			chunk.write(line.lines(), 0, line.length());
		}
		return chunk.toByteArray();
	}

	static Scenario scenario(Collection<RunResult> results) {
		byte[] chunk = lines();
		double bytesPerLine = (double) chunk.length / LINES;
		List<Row> rows = new ArrayList<>();
		for (String codec : CODECS) {
			double ratio = (double) chunk.length / compress(codec, chunk).length;
			rows.add(CodecBenchmark.row(results, "compress", codec, codec, bytesPerLine,
					String.format(Locale.ROOT, "compresses %.1f : 1", ratio)));
		}
		return new Scenario("segment compression", ("compress one chunk of %d segment lines (%.0f bytes a line, uncompressed),"
				+ " in one thread (JMH); MB/s of uncompressed lines").formatted(LINES, bytesPerLine), 0, null, rows);
	}

	/** gzip at a given level, as the segment appender writes it. */
	private static final class LevelledGzip extends GZIPOutputStream {

		LevelledGzip(OutputStream out, int level) throws IOException {
			super(out, 1 << 16);
			this.def.setLevel(level);
		}

	}

}
