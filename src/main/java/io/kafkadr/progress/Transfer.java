package io.kafkadr.progress;

import org.springframework.batch.core.BatchStatus;

/**
 * One topic-partition that a backup or restore moves, as far as its committed chunks got, since
 * its first run: records and bytes (keys, values and headers, as in Kafka), and how far it advanced
 * towards what it expects ({@code advanced} of {@code expected}; a backup measures offsets, of which
 * compaction and transactions leave some without a record, so its {@code expected} is an upper
 * bound, {@code exact} false). The counts at the start of this run give its rate.
 *
 * <p>Written by the partition's own step thread only, read by the progress reporter and the live display.
 */
final class Transfer {

	private final String operation;

	private final String topic;

	private final int partition;

	private final long expected;

	private final boolean exact;

	private final long startNanos;

	private final long recordsAtStart;

	private final long bytesAtStart;

	private final long advancedAtStart;

	private volatile long records;

	private volatile long bytes;

	private volatile long advanced;

	private volatile BatchStatus finished;

	private volatile long finishNanos;

	Transfer(String operation, String topic, int partition, long expected, boolean exact, long records, long bytes,
			long advanced, long startNanos) {
		this.startNanos = startNanos;
		this.operation = operation;
		this.topic = topic;
		this.partition = partition;
		this.expected = expected;
		this.exact = exact;
		this.recordsAtStart = records;
		this.bytesAtStart = bytes;
		this.advancedAtStart = advanced;
		this.records = records;
		this.bytes = bytes;
		this.advanced = advanced;
	}

	void add(long records, long bytes, long advanced) {
		this.records += records;
		this.bytes += bytes;
		this.advanced = advanced;
	}

	void finish(BatchStatus status) {
		finish(status, System.nanoTime());
	}

	void finish(BatchStatus status, long nanos) {
		if (status == BatchStatus.COMPLETED) {
			this.advanced = this.expected;
		}
		this.finishNanos = nanos;
		// written last: a reader that sees the status sees the time and the final advance
		this.finished = status;
	}

	String operation() {
		return this.operation;
	}

	String topic() {
		return this.topic;
	}

	int partition() {
		return this.partition;
	}

	String name() {
		return this.topic + "-" + this.partition;
	}

	long expected() {
		return this.expected;
	}

	boolean exact() {
		return this.exact;
	}

	long advanced() {
		return this.advanced;
	}

	long startNanos() {
		return this.startNanos;
	}

	long bytesAtStart() {
		return this.bytesAtStart;
	}

	long advancedAtStart() {
		return this.advancedAtStart;
	}

	/** How the partition's step ended; null while it runs. */
	BatchStatus finished() {
		return this.finished;
	}

	/** When it ended, as {@link System#nanoTime}; meaningful once {@link #finished} is set. */
	long finishNanos() {
		return this.finishNanos;
	}

	long records() {
		return this.records;
	}

	long bytes() {
		return this.bytes;
	}

	/** Records moved by this run (a resumed partition's earlier runs excluded). */
	long recordsThisRun() {
		return this.records - this.recordsAtStart;
	}

	boolean active() {
		return this.finished == null;
	}

	/** The line logged for it at each progress interval. */
	String line(long nowNanos) {
		double seconds = Math.max(1e-3, (nowNanos - this.startNanos) / 1e9);
		long perSecond = Math.round(recordsThisRun() / seconds);
		double advancing = (this.advanced - this.advancedAtStart) / seconds;
		long remaining = Math.max(0, this.expected - this.advanced);
		String eta = (remaining == 0) ? "0s"
				: (advancing > 0) ? Units.duration(Math.round(remaining / advancing)) : "unknown";
		int percent = (this.expected > 0) ? (int) Math.min(100, 100 * this.advanced / this.expected) : 100;
		return String.format("%s %s: %,d records of %s%,d (%d%%), %s, %,d records/s, ETA %s", this.operation, name(),
				this.records, this.exact ? "" : "at most ", this.expected, percent, Units.bytes(this.bytes), perSecond,
				eta);
	}

}
