package io.kafkadr.progress;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.core.BatchStatus;

/**
 * The board's partitions as rows of the live display, with their rates over a recent window: each
 * frame samples every running partition's bytes and advance, and a rate is what changed between
 * the oldest sample still covering the window and now. A partition that slowed down shows it
 * within the window, where the average since its start (the progress lines') would hide it.
 * Used by the display's one thread.
 */
final class RecentRates {

	/** Less than this since a partition began, a rate would be a chunk's burst rather than a pace. */
	private static final long SHORTEST_NANOS = Duration.ofMillis(500).toNanos();

	private final long windowNanos;

	private final Map<Transfer, Deque<Sample>> samples = new IdentityHashMap<>();

	RecentRates(Duration window) {
		this.windowNanos = window.toNanos();
	}

	/** The partitions as rows: running ones with their rates over the window up to {@code nowNanos}. */
	List<LiveFrame.Row> rows(List<Transfer> transfers, long nowNanos) {
		List<LiveFrame.Row> rows = new ArrayList<>(transfers.size());
		for (Transfer transfer : transfers) {
			// the status first: once it is set, the counts and the finish time are final (Transfer.finish)
			BatchStatus finished = transfer.finished();
			if (finished != null) {
				this.samples.remove(transfer);
				long nanos = transfer.finishNanos() - transfer.startNanos();
				rows.add(row(transfer, finished, perSecond(transfer.bytes() - transfer.bytesAtStart(), nanos),
						perSecond(transfer.advanced() - transfer.advancedAtStart(), nanos)));
				continue;
			}
			Sample now = new Sample(nowNanos, transfer.bytes(), transfer.advanced());
			Deque<Sample> kept = this.samples.computeIfAbsent(transfer, (started) -> new ArrayDeque<>(
					List.of(new Sample(started.startNanos(), started.bytesAtStart(), started.advancedAtStart()))));
			kept.addLast(now);
			// drop the oldest while the next one still reaches back to the window's start
			while (kept.size() > 2) {
				Sample oldest = kept.pollFirst();
				if (kept.peekFirst().nanos() > nowNanos - this.windowNanos) {
					kept.addFirst(oldest);
					break;
				}
			}
			Sample first = kept.peekFirst();
			long nanos = now.nanos() - first.nanos();
			if (nanos < SHORTEST_NANOS) {
				rows.add(row(transfer, null, Double.NaN, Double.NaN));
			}
			else {
				rows.add(row(transfer, null, perSecond(now.bytes() - first.bytes(), nanos),
						perSecond(now.advanced() - first.advanced(), nanos)));
			}
		}
		return rows;
	}

	private static LiveFrame.Row row(Transfer transfer, BatchStatus finished, double bytesPerSecond,
			double advancePerSecond) {
		return new LiveFrame.Row(transfer.topic(), transfer.partition(), transfer.records(), transfer.expected(),
				transfer.exact(), transfer.advanced(), bytesPerSecond, advancePerSecond, finished);
	}

	private static double perSecond(long amount, long nanos) {
		return (nanos > 0) ? amount * 1e9 / nanos : Double.NaN;
	}

	/** A partition's bytes and advance at one moment. */
	private record Sample(long nanos, long bytes, long advanced) {
	}

}
