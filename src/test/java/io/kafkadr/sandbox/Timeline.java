package io.kafkadr.sandbox;

import java.time.Duration;
import java.time.Instant;

/**
 * The seeded pipeline's history: when the connectors were set up, when each change was captured,
 * where it sits in the write-ahead log, and when the schema migration happened.
 *
 * <p>Changes of all tables form one sequence ({@code index * TABLES + table}), so that timestamps,
 * LSNs and transaction ids grow in every topic and partition. Everything happens between a little
 * over four hours and about an hour before {@code now}: recent enough that no retention deletes it,
 * and in the past, as a backup finds it.
 */
record Timeline(long setupMillis, int changesPerTable) {

	static final int TABLES = CdcTable.values().length;

	private static final Duration SETUP_AGO = Duration.ofHours(4);

	private static final long CAPTURE_DELAY_MILLIS = Duration.ofMinutes(5).toMillis();

	private static final long CAPTURE_SPAN_MILLIS = Duration.ofHours(3).toMillis();

	private static final long LSN_BASE = 0x1_6B37_4D48L;

	private static final long TX_BASE = 48_211;

	Timeline {
		if (changesPerTable < 1) {
			throw new IllegalArgumentException("changesPerTable must be at least 1, not " + changesPerTable);
		}
	}

	static Timeline endingBefore(Instant now, int changesPerTable) {
		return new Timeline(now.minus(SETUP_AGO).toEpochMilli(), changesPerTable);
	}

	long sequence(CdcTable table, int index) {
		return (long) index * TABLES + table.ordinal();
	}

	long totalChanges() {
		return (long) this.changesPerTable * TABLES;
	}

	long millis(long sequence) {
		return captureStart() + sequence * CAPTURE_SPAN_MILLIS / totalChanges();
	}

	long lsn(long sequence) {
		return LSN_BASE + sequence * 0x1A8;
	}

	/** Changes come in small transactions of up to three rows, as an application's writes do. */
	long txId(long sequence) {
		return TX_BASE + sequence / 3;
	}

	/** The initial snapshot reads this many rows of each table (op {@code r}) before streaming starts. */
	int snapshotRows() {
		return Math.max(1, this.changesPerTable / 10);
	}

	/**
	 * The value schema version of a table's change: v1 before the migration, v2 after it, and both
	 * alternating in between, so that nothing can assume one writer schema per stretch of a
	 * partition (a connector restarted after a migration replays from its last committed offset,
	 * re-sending older changes with the old schema among new ones).
	 */
	int schemaVersion(int index) {
		if (index < migrationIndex()) {
			return 1;
		}
		if (index < this.changesPerTable * 3 / 5) {
			return (index % 2 == 0) ? 2 : 1;
		}
		return 2;
	}

	/** Just before the first v2 change: when v2 was registered and the connector restarted. */
	long migrationMillis() {
		return millis(sequence(CdcTable.values()[0], migrationIndex())) - 1_000;
	}

	private int migrationIndex() {
		return this.changesPerTable * 2 / 5;
	}

	private long captureStart() {
		return this.setupMillis + CAPTURE_DELAY_MILLIS;
	}

}
