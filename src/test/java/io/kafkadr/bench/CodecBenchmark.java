package io.kafkadr.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.kafkadr.archive.ArchiveJson;
import io.kafkadr.avro.AvroBinaryToJson;
import io.kafkadr.avro.JsonToAvroBinary;
import io.kafkadr.bench.Report.Row;
import io.kafkadr.bench.Report.Scenario;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonDecoder;
import org.apache.avro.io.JsonEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import tools.jackson.core.JsonGenerator;

/**
 * The Avro codec alone, in JMH: kafka-dr's {@link AvroBinaryToJson} and {@link JsonToAvroBinary}
 * against Apache Avro's own {@code GenericDatumReader} + {@code JsonEncoder} and {@code JsonDecoder} +
 * {@code GenericDatumWriter}, on the benchmark's change events. One operation is one record.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {

	static final int EVENTS = 1000;

	private final Schema[] schemas = new Schema[EVENTS];

	private final byte[][] binary = new byte[EVENTS][];

	private final byte[][] kafkaDrJson = new byte[EVENTS][];

	private final byte[][] avroJson = new byte[EVENTS][];

	private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);

	private final AvroBinaryToJson toJson = new AvroBinaryToJson();

	private final JsonToAvroBinary toBinary = new JsonToAvroBinary();

	private final GenericDatumReader<Object>[] readers = readers();

	private final GenericDatumWriter<Object>[] writers = writers();

	private BinaryDecoder binaryDecoder;

	private BinaryEncoder binaryEncoder;

	@Setup
	public void events() throws IOException {
		ChangeEvents events = new ChangeEvents(7);
		for (int i = 0; i < EVENTS; i++) {
			int version = 1 + i % 2;
			this.schemas[i] = ChangeEvents.value(version);
			this.binary[i] = events.value(i, i % 500, version);
			this.out.reset();
			try (JsonGenerator json = ArchiveJson.MAPPER.createGenerator(this.out)) {
				this.toJson.decode(this.schemas[i], this.binary[i], 0, this.binary[i].length, json);
			}
			this.kafkaDrJson[i] = this.out.toByteArray();
			this.out.reset();
			Object datum = reader(i).read(null, DecoderFactory.get().binaryDecoder(this.binary[i], null));
			JsonEncoder encoder = EncoderFactory.get().jsonEncoder(this.schemas[i], this.out);
			writer(i).write(datum, encoder);
			encoder.flush();
			this.avroJson[i] = this.out.toByteArray();
		}
	}

	@Benchmark
	@OperationsPerInvocation(EVENTS)
	public void kafkaDrDecode(Blackhole sink) {
		for (int i = 0; i < EVENTS; i++) {
			this.out.reset();
			try (JsonGenerator json = ArchiveJson.MAPPER.createGenerator(this.out)) {
				sink.consume(this.toJson.decode(this.schemas[i], this.binary[i], 0, this.binary[i].length, json));
			}
			sink.consume(this.out.size());
		}
	}

	@Benchmark
	@OperationsPerInvocation(EVENTS)
	public void avroDecode(Blackhole sink) throws IOException {
		for (int i = 0; i < EVENTS; i++) {
			this.out.reset();
			this.binaryDecoder = DecoderFactory.get().binaryDecoder(this.binary[i], this.binaryDecoder);
			Object datum = reader(i).read(null, this.binaryDecoder);
			JsonEncoder encoder = EncoderFactory.get().jsonEncoder(this.schemas[i], this.out);
			writer(i).write(datum, encoder);
			encoder.flush();
			sink.consume(this.out.size());
		}
	}

	@Benchmark
	@OperationsPerInvocation(EVENTS)
	public void kafkaDrEncode(Blackhole sink) {
		for (int i = 0; i < EVENTS; i++) {
			sink.consume(this.toBinary.encode(this.schemas[i], ArchiveJson.MAPPER.readTree(this.kafkaDrJson[i])));
		}
	}

	@Benchmark
	@OperationsPerInvocation(EVENTS)
	public void avroEncode(Blackhole sink) throws IOException {
		for (int i = 0; i < EVENTS; i++) {
			JsonDecoder decoder = DecoderFactory.get().jsonDecoder(this.schemas[i],
					new java.io.ByteArrayInputStream(this.avroJson[i]));
			Object datum = reader(i).read(null, decoder);
			this.out.reset();
			this.binaryEncoder = EncoderFactory.get().binaryEncoder(this.out, this.binaryEncoder);
			writer(i).write(datum, this.binaryEncoder);
			this.binaryEncoder.flush();
			sink.consume(this.out.toByteArray());
		}
	}

	private GenericDatumReader<Object> reader(int event) {
		return this.readers[event % 2];
	}

	private GenericDatumWriter<Object> writer(int event) {
		return this.writers[event % 2];
	}

	@SuppressWarnings("unchecked")
	private static GenericDatumReader<Object>[] readers() {
		return new GenericDatumReader[] { new GenericDatumReader<>(ChangeEvents.VALUE_V1),
				new GenericDatumReader<>(ChangeEvents.VALUE_V2) };
	}

	@SuppressWarnings("unchecked")
	private static GenericDatumWriter<Object>[] writers() {
		return new GenericDatumWriter[] { new GenericDatumWriter<>(ChangeEvents.VALUE_V1),
				new GenericDatumWriter<>(ChangeEvents.VALUE_V2) };
	}

	/** The mean size of the events' Avro binary, for MB/s. */
	static double meanDatumBytes() {
		ChangeEvents events = new ChangeEvents(7);
		long total = 0;
		for (int i = 0; i < EVENTS; i++) {
			total += events.value(i, i % 500, 1 + i % 2).length;
		}
		return (double) total / EVENTS;
	}

	/** Runs the codec and compression benchmarks and returns their scenarios. */
	static List<Scenario> measure(BenchSettings settings) {
		OptionsBuilder options = new OptionsBuilder();
		options.include(CodecBenchmark.class.getName() + "\\.")
			.include(SegmentCompressionBenchmark.class.getName() + "\\.")
			.forks(settings.jmhForks())
			.warmupIterations(Math.max(1, settings.warmups() * 2))
			.warmupTime(TimeValue.milliseconds(settings.jmhIterationMillis()))
			.measurementIterations(Math.max(settings.runs(), 1) + 2)
			.measurementTime(TimeValue.milliseconds(settings.jmhIterationMillis()))
			.jvmArgsAppend("-Xmx" + settings.heap())
			.shouldFailOnError(true);
		Collection<RunResult> results;
		try {
			results = new Runner(options.build()).run();
		}
		catch (RunnerException ex) {
			throw new IllegalStateException("JMH failed", ex);
		}
		double datum = meanDatumBytes();
		Scenario decode = new Scenario("codec: Avro binary → JSON",
				"decode one change event (%.0f bytes of Avro) to JSON text, in one thread (JMH, iterations as runs)".formatted(datum), 1.0,
				"Avro GenericDatumReader + JsonEncoder",
				List.of(row(results, "kafkaDrDecode", "kafka-dr AvroBinaryToJson", datum),
						row(results, "avroDecode", "Avro GenericDatumReader + JsonEncoder", datum)));
		Scenario encode = new Scenario("codec: JSON → Avro binary",
				"parse one change event's JSON and encode it to Avro binary, in one thread (JMH)", 1.0,
				"Avro JsonDecoder + GenericDatumWriter",
				List.of(row(results, "kafkaDrEncode", "kafka-dr JsonToAvroBinary", datum),
						row(results, "avroEncode", "Avro JsonDecoder + GenericDatumWriter", datum)));
		return List.of(decode, encode, SegmentCompressionBenchmark.scenario(results));
	}

	static Row row(Collection<RunResult> results, String method, String contender, double bytesPerRecord) {
		return row(results, method, null, contender, bytesPerRecord, null);
	}

	/** The iteration scores (records/s) of one benchmark method, and parameter value where it has one. */
	static Row row(Collection<RunResult> results, String method, String param, String contender, double bytesPerRecord,
			String note) {
		List<Double> scores = new ArrayList<>();
		for (RunResult result : results) {
			String label = result.getParams().getBenchmark();
			if (!label.endsWith("." + method)) {
				continue;
			}
			if (param != null && !param.equals(result.getParams().getParam("codec"))) {
				continue;
			}
			for (BenchmarkResult benchmark : result.getBenchmarkResults()) {
				for (IterationResult iteration : benchmark.getIterationResults()) {
					scores.add(iteration.getPrimaryResult().getScore());
				}
			}
		}
		return new Row(contender, null, scores, bytesPerRecord, Double.NaN, -1, -1, -1, note);
	}

}
