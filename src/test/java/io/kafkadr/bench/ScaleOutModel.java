package io.kafkadr.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import io.kafkadr.bench.Coordination.Fit;
import io.kafkadr.bench.DataSets.Topic;
import io.kafkadr.bench.JobRepositoryCommits.Level;
import io.kafkadr.bench.Report.Table;
import io.kafkadr.bench.ScaleOutBenchmark.Contender;
import io.kafkadr.bench.ScaleOutBenchmark.Measured;
import io.kafkadr.bench.ScaleOutBenchmark.Round;

/**
 * More workers than a 2-core machine can run, modelled from what the scale-out scenario measured
 * with one worker of one thread: the manager's own time, and per partitioned step its setup, the
 * wait for the first partition to start, each partition's duration (a fixed part and a rate, from
 * the partitions' sizes), the handover between partitions, the first partition's warm-up in a
 * fresh worker, and the wait for the manager to notice the last one ending. A step's partitions
 * are handed out in the order the measured worker took them, each to the worker that is free
 * first (list scheduling), so the tail of the last partitions is in the model; what is not:
 * workers contending for cores (each is assumed to get the CPU the measured one had), the broker,
 * the network and the job repository, whose needs the tables give beside the time so that they
 * can be set against the bounds measured (the commits PostgreSQL takes, its connections) or
 * assumed (docs/benchmarks.md, Scale-out).
 */
final class ScaleOutModel {

	/** Worker counts the model is run for. */
	static final List<Integer> WORKERS = List.of(1, 2, 4, 16, 64);

	/**
	 * What a partition commits at most, backup and restore alike ({@code kafka-dr.backup.chunk-bytes},
	 * {@code kafka-dr.restore.chunk-bytes}, the default): with records of a few hundred bytes the
	 * bound that ends a chunk, before 50,000 records or (backup) 5 s.
	 */
	static final double CHUNK_BYTES = 4 << 20;

	/**
	 * Records per partition, on average, of the larger topic the model is also run for: the measured
	 * partitions scaled alike (so as uneven), with the measured records' size.
	 */
	static final long LARGE_PARTITION_RECORDS = 1_000_000;

	private ScaleOutModel() {
	}

	/**
	 * A partitioned step as one worker of one thread ran it.
	 *
	 * @param setup manager step start → last partition execution created
	 * @param firstStart → a slot's first partition started (an idle worker's next look at the queue)
	 * @param endNotice last partition ended → manager step ended
	 * @param handover a partition ended → the same worker's next one started
	 * @param warmUp what a worker's first partition of the step took beyond the fit: its code still cold
	 * @param fit a partition's duration: fixed part and rate
	 * @param queue each partition's items, in the order the worker took them
	 * @param writesBesideChunks rows the job repository wrote to the step-execution table per partition
	 * beside one per chunk commit (creating, starting, ending it), over all the job's partitions
	 */
	record Step(String name, double setup, double firstStart, double endNotice, double handover, double warmUp, Fit fit,
			List<Long> queue, double writesBesideChunks) {

		double duration(long items) {
			return this.fit.fixedSeconds() + items / this.fit.itemsPerSecond();
		}

	}

	/**
	 * Backup or restore with one worker: its steps, and what the manager spends outside them.
	 *
	 * @param outside the manager's wall time less its partitioned steps' (JVM, context, launcher, other steps, seal, exit)
	 * @param measured the manager's wall time measured by workers, where measured (1 and 2 workers)
	 * @param managerConnections, workerConnections the most PostgreSQL connections a process held
	 */
	record Operation(String name, long records, double bytesPerRecord, double outside, List<Step> steps,
			Map<Integer, Double> measured, int managerConnections, int workerConnections) {

		/** The manager's modelled wall time with {@code workers} workers of one thread. */
		double wall(int workers) {
			return wall(workers, 1);
		}

		/** The same on partitions {@code scale} times as large. */
		double wall(int workers, double scale) {
			double seconds = this.outside;
			for (Step step : this.steps) {
				seconds += stepSeconds(step, workers, scale);
			}
			return seconds;
		}

	}

	/** A step's time on {@code slots} workers, from the manager step's start to its end. */
	static double stepSeconds(Step step, int slots, double scale) {
		record Slot(double free, boolean used) {
		}
		PriorityQueue<Slot> slots1 = new PriorityQueue<>(Comparator.comparingDouble(Slot::free));
		for (int i = 0; i < slots; i++) {
			slots1.add(new Slot(step.setup() + step.firstStart(), false));
		}
		double end = 0;
		for (long items : step.queue()) {
			Slot slot = slots1.poll();
			double start = slot.free() + (slot.used() ? step.handover() : 0);
			double finish = start + step.duration(Math.round(items * scale)) + (slot.used() ? 0 : step.warmUp());
			end = Math.max(end, finish);
			slots1.add(new Slot(finish, true));
		}
		return end + step.endNotice();
	}

	/** Everything the model takes from a run: null when a remote run is missing (no PostgreSQL). */
	record Inputs(Topic topic, List<Operation> operations, List<Level> commits, int maxConnections) {

		static Inputs of(Topic topic, Measured backup, Measured restore, List<Level> commits, int maxConnections) {
			Operation backupModel = operation("backup", topic, backup);
			Operation restoreModel = operation("restore", topic, restore);
			if (backupModel == null || restoreModel == null) {
				return null;
			}
			return new Inputs(topic, List.of(backupModel, restoreModel), commits, maxConnections);
		}

	}

	private static Operation operation(String name, Topic topic, Measured measured) {
		List<Round> one = rounds(measured, 1);
		if (one == null || one.isEmpty()) {
			return null;
		}
		Map<Integer, Double> wall = new LinkedHashMap<>();
		for (int workers : List.of(1, 2)) {
			List<Round> rounds = rounds(measured, workers);
			if (rounds != null && !rounds.isEmpty()) {
				wall.put(workers, Coordination.median(rounds.stream().map(r -> r.manager().seconds()).toList()));
			}
		}
		List<String> stepNames = one.get(0).job().steps().stream().map(JobRun.PartitionedStep::name).toList();
		int partitionsPerRound = one.get(0).job().steps().stream().mapToInt(s -> s.partitions().size()).sum();
		double writesBesideChunks = Coordination.median(one.stream()
			.map(r -> (double) (r.stepWrites() - r.job().steps().stream().flatMap(s -> s.partitions().stream())
				.mapToLong(JobRun.Partition::commits).sum()) / partitionsPerRound)
			.toList());
		List<Step> steps = new ArrayList<>();
		for (String stepName : stepNames) {
			List<JobRun.PartitionedStep> runs = one.stream()
				.map(r -> r.job().steps().stream().filter(s -> s.name().equals(stepName)).findFirst().orElseThrow())
				.toList();
			List<Coordination> coordinations = runs.stream().map(s -> Coordination.of(s, 1)).toList();
			// the rate from every partition but each run's first, which a cold worker runs
			List<JobRun.Partition> warm = new ArrayList<>();
			List<JobRun.Partition> firsts = new ArrayList<>();
			for (JobRun.PartitionedStep run : runs) {
				List<JobRun.Partition> byStart = run.partitions().stream().sorted(Comparator.comparing(JobRun.Partition::started)).toList();
				firsts.add(byStart.get(0));
				warm.addAll(byStart.subList(1, byStart.size()));
			}
			Fit fit = Fit.of(warm);
			if (Double.isNaN(fit.fixedSeconds()) || fit.itemsPerSecond() <= 0) {
				// one size only, or too few partitions to tell: the mean rate, no fixed part
				double items = warm.stream().mapToLong(JobRun.Partition::items).sum();
				double seconds = warm.stream().mapToDouble(JobRun.Partition::seconds).sum();
				fit = new Fit(0, items / seconds, warm.size());
			}
			Fit used = fit;
			double warmUp = Math.max(0, Coordination.median(firsts.stream()
				.map(p -> p.seconds() - (used.fixedSeconds() + p.items() / used.itemsPerSecond()))
				.toList()));
			List<Long> queue = runs.get(0).partitions().stream()
				.sorted(Comparator.comparing(JobRun.Partition::started))
				.map(JobRun.Partition::items)
				.toList();
			steps.add(new Step(stepName, Coordination.median(coordinations.stream().map(Coordination::managerSetup).toList()),
					Coordination.median(coordinations.stream().map(Coordination::firstStart).toList()),
					Coordination.median(coordinations.stream().map(Coordination::endNotice).toList()),
					Coordination.mean(coordinations.stream().flatMap(c -> c.handovers().stream()).toList()), warmUp, fit, queue,
					writesBesideChunks));
		}
		double outside = Coordination.median(one.stream()
			.map(r -> r.manager().seconds() - r.job().steps().stream().mapToDouble(JobRun.PartitionedStep::seconds).sum())
			.toList());
		int managerConnections = one.stream().mapToInt(r -> r.peakConnections().getOrDefault("manager", 0)).max().orElse(0);
		int workerConnections = one.stream()
			.flatMap(r -> r.peakConnections().entrySet().stream())
			.filter(e -> e.getKey().startsWith("worker-"))
			.mapToInt(Map.Entry::getValue)
			.max()
			.orElse(0);
		return new Operation(name, topic.records(), (double) topic.bytes() / topic.records(), outside, steps, wall,
				managerConnections, workerConnections);
	}

	private static List<Round> rounds(Measured measured, int workers) {
		for (Map.Entry<String, Contender> entry : measured.contenders().entrySet()) {
			if (entry.getValue().workers() == workers) {
				return measured.rounds().get(entry.getKey());
			}
		}
		return null;
	}

	static List<Table> tables(Inputs inputs) {
		List<Table> tables = new ArrayList<>();
		tables.add(inputsTable(inputs));
		double largeScale = (double) LARGE_PARTITION_RECORDS * inputs.topic().partitions() / inputs.topic().records();
		tables.add(modelTable(inputs, 1, "Scale-out model: `%s` as measured (%,d records in %d partitions)".formatted(
				inputs.topic().name(), inputs.topic().records(), inputs.topic().partitions())));
		tables.add(modelTable(inputs, largeScale, "Scale-out model: the same %d partitions, %,d records each on average (%.0f GB)".formatted(
				inputs.topic().partitions(), LARGE_PARTITION_RECORDS,
				LARGE_PARTITION_RECORDS * inputs.topic().partitions() * inputs.topic().bytes() / (double) inputs.topic().records() / 1e9)));
		return tables;
	}

	private static Table inputsTable(Inputs inputs) {
		List<List<String>> rows = new ArrayList<>();
		for (Operation operation : inputs.operations()) {
			rows.add(List.of(operation.name(), "(outside the partitioned steps)", "%.2f".formatted(operation.outside()), "", "", "",
					"", "", "", ""));
			for (Step step : operation.steps()) {
				rows.add(List.of(operation.name(), step.name(), "", "%.3f".formatted(step.setup()), "%.3f".formatted(step.firstStart()),
						"%.3f".formatted(step.handover()), "%.3f".formatted(step.warmUp()), "%.3f".formatted(step.fit().fixedSeconds()),
						"%,.0f".formatted(step.fit().itemsPerSecond()), "%.3f".formatted(step.endNotice())));
			}
		}
		return new Table("Scale-out model: inputs, from the runs of one worker × 1 thread",
				List.of("operation", "step", "manager outside steps s", "setup s", "first start s", "handover s", "warm-up s",
						"fixed s per partition", "items/s per worker", "end noticed s"),
				rows, "Medians over the timed rounds of the manager + 1 worker row; handover is the mean; the fit leaves out"
						+ " each round's first partition, whose excess over the fit is the warm-up a fresh worker pays once per step.");
	}

	private static Table modelTable(Inputs inputs, double scale, String title) {
		double commitCapacity = inputs.commits().stream()
			.filter(level -> level.database().equals("PostgreSQL"))
			.mapToDouble(Level::commitsPerSecond)
			.max()
			.orElse(Double.NaN);
		List<List<String>> rows = new ArrayList<>();
		for (Operation operation : inputs.operations()) {
			double one = operation.wall(1, scale);
			Step data = operation.steps().stream().filter(s -> s.name().equals("internalTopics")).findFirst()
				.orElse(operation.steps().get(0));
			for (int workers : WORKERS) {
				double wall = operation.wall(workers, scale);
				double records = operation.records() * scale;
				// while every worker streams a partition of the data step
				double streaming = workers * data.fit().itemsPerSecond() * operation.bytesPerRecord() / 1e6;
				double partitionSeconds = data.duration(Math.round(mean(data.queue()) * scale));
				// a chunk commit per chunk-bytes of records while streaming, and the partition's other writes
				double writes = workers * (data.fit().itemsPerSecond() * operation.bytesPerRecord() / CHUNK_BYTES
						+ data.writesBesideChunks() / partitionSeconds);
				int connections = operation.managerConnections() + workers * operation.workerConnections();
				Double measured = (scale == 1) ? operation.measured().get(workers) : null;
				rows.add(List.of(operation.name(), String.valueOf(workers), "%.1f".formatted(wall),
						(measured != null) ? "%.1f".formatted(measured) : "–", "%,.0f".formatted(records / wall),
						"%.2f ×".formatted(one / wall), "%,.0f".formatted(streaming),
						"%,.0f of %,.0f".formatted(writes, commitCapacity),
						"%d of %d".formatted(connections, inputs.maxConnections())));
			}
		}
		return new Table(title, List.of("operation", "workers × 1 thread", "modelled wall s", "measured wall s", "records/s",
				"speed-up", "MB/s while all stream", "job-repository writes/s needed, of the most measured",
				"PostgreSQL connections needed, of max_connections"), rows,
				"From the inputs above (list scheduling of the step's partitions, in the measured order, on the workers);"
						+ " each worker is assumed to get the CPU the measured one had. Writes needed while every worker streams"
						+ " the data step: workers × (a chunk commit per 4 MB of records + the partition's other step-row writes"
						+ " ÷ its duration), against the most chunk commits/s measured on this"
						+ " PostgreSQL (Spring Batch's own client; pgbench's figure is in the commits table). Connections: the"
						+ " manager's and each worker's peak measured.");
	}

	private static double mean(List<Long> values) {
		return values.stream().mapToLong(Long::longValue).average().orElse(0);
	}

}
