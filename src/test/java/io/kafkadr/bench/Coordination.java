package io.kafkadr.bench;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.kafkadr.bench.JobRun.Partition;
import io.kafkadr.bench.JobRun.PartitionedStep;

/**
 * Where a partitioned step's time went between its partitions' work, from its job repository's
 * times, given how many partitions could run at once ({@code slots}: a local pool's threads, or
 * workers × their threads).
 *
 * <p>Which slot ran which partition is not recorded, so it is reconstructed: in the order they
 * started, each partition takes the slot that became free last before it started (a thread that
 * ends a partition asks for the next at once), else a slot not used yet. A slot's first partition
 * gives a start latency (from the requests being handed out), every later one a handover (from the
 * slot's previous partition ending).
 *
 * @param managerSetup from the manager step's start to the last partition execution it created:
 * splitting, and writing one execution per partition
 * @param firstStart from then to the first partition starting: a request reaching an idle thread
 * or worker
 * @param startLatencies each slot's first partition, from the same point
 * @param handovers a slot's previous partition ending to its next one starting
 * @param endNotice from the last partition ending to the manager step ending: the manager noticing
 * @param durations each partition's, start to end
 * @param busyShare the partitions' time over slots × the manager step's
 * @param commits the partitions' chunk commits
 * @param items what the partitions read
 */
record Coordination(String step, int slots, double seconds, double managerSetup, double firstStart,
		List<Double> startLatencies, List<Double> handovers, double endNotice, List<Double> durations, double busyShare,
		long commits, long items) {

	static Coordination of(PartitionedStep step, int slots) {
		List<Partition> partitions = new ArrayList<>(step.partitions());
		partitions.sort(Comparator.comparing(Partition::started));
		LocalDateTime queued = partitions.stream().map(Partition::created).max(Comparator.naturalOrder()).orElseThrow();
		LocalDateTime[] free = new LocalDateTime[slots];
		List<Double> startLatencies = new ArrayList<>();
		List<Double> handovers = new ArrayList<>();
		List<Double> durations = new ArrayList<>();
		for (Partition partition : partitions) {
			int slot = freedLast(free, partition.started());
			if (slot < 0) {
				slot = unused(free);
			}
			if (slot < 0) {
				// more at once than the slots (a partition handed out again while its first worker still ran): no gap
				slot = freedFirst(free);
			}
			if (free[slot] == null) {
				startLatencies.add(JobRun.between(queued, partition.started()));
			}
			else {
				handovers.add(Math.max(0, JobRun.between(free[slot], partition.started())));
			}
			free[slot] = partition.ended();
			durations.add(partition.seconds());
		}
		LocalDateTime lastEnd = partitions.stream().map(Partition::ended).max(Comparator.naturalOrder()).orElseThrow();
		double busy = durations.stream().mapToDouble(Double::doubleValue).sum();
		return new Coordination(step.name(), slots, step.seconds(), JobRun.between(step.start(), queued),
				JobRun.between(queued, partitions.get(0).started()), startLatencies, handovers,
				JobRun.between(lastEnd, step.end()), durations, busy / (slots * step.seconds()),
				partitions.stream().mapToLong(Partition::commits).sum(), partitions.stream().mapToLong(Partition::items).sum());
	}

	private static int freedLast(LocalDateTime[] free, LocalDateTime at) {
		int best = -1;
		for (int i = 0; i < free.length; i++) {
			if (free[i] != null && !free[i].isAfter(at) && (best < 0 || free[i].isAfter(free[best]))) {
				best = i;
			}
		}
		return best;
	}

	private static int unused(LocalDateTime[] free) {
		for (int i = 0; i < free.length; i++) {
			if (free[i] == null) {
				return i;
			}
		}
		return -1;
	}

	private static int freedFirst(LocalDateTime[] free) {
		int best = 0;
		for (int i = 1; i < free.length; i++) {
			if (free[i].isBefore(free[best])) {
				best = i;
			}
		}
		return best;
	}

	/**
	 * A partition's duration as a fixed part and a part per item, by least squares over the
	 * partitions' durations against their sizes (which the scale-out topic makes uneven).
	 *
	 * @param fixedSeconds what a partition costs whatever its size: NaN when all had one size
	 * @param itemsPerSecond the rate once it streams
	 */
	record Fit(double fixedSeconds, double itemsPerSecond, int points) {

		static Fit of(List<Partition> partitions) {
			int n = partitions.size();
			double meanX = partitions.stream().mapToDouble(Partition::items).average().orElse(Double.NaN);
			double meanY = partitions.stream().mapToDouble(Partition::seconds).average().orElse(Double.NaN);
			double sxx = 0;
			double sxy = 0;
			for (Partition partition : partitions) {
				sxx += (partition.items() - meanX) * (partition.items() - meanX);
				sxy += (partition.items() - meanX) * (partition.seconds() - meanY);
			}
			if (n < 2 || sxx == 0) {
				return new Fit(Double.NaN, meanX / meanY, n);
			}
			double slope = sxy / sxx;
			return new Fit(meanY - slope * meanX, 1 / slope, n);
		}

	}

	static double median(List<Double> values) {
		if (values.isEmpty()) {
			return Double.NaN;
		}
		List<Double> sorted = new ArrayList<>(values);
		sorted.sort(null);
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	static double mean(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
	}

	static double max(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
	}

}
