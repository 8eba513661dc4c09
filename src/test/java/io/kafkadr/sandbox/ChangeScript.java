package io.kafkadr.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The changes one table goes through, as Debezium captures them: a snapshot of the rows that were
 * there when the connector started (op {@code r}), then inserts, updates and deletes of random live
 * rows. A fixed seed per table makes the script the same on every run.
 */
final class ChangeScript {

	private static final long SEED = 0x5EED_CDC0L;

	private static final long DAY_MICROS = TimeUnit.DAYS.toMicros(1);

	/** A row's state: how often it was updated, and when it was created and last changed. */
	record Row(int id, int revision, long createdMicros, long updatedMicros) {

		Row updated(long micros) {
			return new Row(this.id, this.revision + 1, this.createdMicros, micros);
		}

	}

	/**
	 * One captured change; {@code before} is null for reads and inserts, {@code after} for deletes.
	 * @param snapshot the {@code source.snapshot} field: {@code true}, {@code last} or {@code false}
	 */
	record Change(long sequence, String op, int schemaVersion, Row before, Row after, String snapshot) {

		int rowId() {
			return (this.after != null) ? this.after.id() : this.before.id();
		}

	}

	private final CdcTable table;

	private final Timeline timeline;

	private final Random random;

	private final List<Row> live = new ArrayList<>();

	private int nextId = 1;

	private ChangeScript(CdcTable table, Timeline timeline) {
		this.table = table;
		this.timeline = timeline;
		this.random = new Random(SEED + table.ordinal());
	}

	static List<Change> changes(CdcTable table, Timeline timeline) {
		ChangeScript script = new ChangeScript(table, timeline);
		List<Change> changes = new ArrayList<>(timeline.changesPerTable());
		for (int index = 0; index < timeline.changesPerTable(); index++) {
			changes.add(script.next(index));
		}
		return changes;
	}

	private Change next(int index) {
		long sequence = this.timeline.sequence(this.table, index);
		long micros = TimeUnit.MILLISECONDS.toMicros(this.timeline.millis(sequence));
		int version = this.timeline.schemaVersion(index);
		int snapshotRows = this.timeline.snapshotRows();
		if (index < snapshotRows) {
			// Rows found by the snapshot were created days or months before the connector started.
			long created = micros - (1 + CdcTable.hash(this.nextId, 99) % 300) * DAY_MICROS;
			Row row = insert(created, created);
			return new Change(sequence, "r", version, null, row, (index == snapshotRows - 1) ? "last" : "true");
		}
		int roll = this.random.nextInt(100);
		if (this.live.size() < 3 || roll < this.table.insertPercent()) {
			return new Change(sequence, "c", version, null, insert(micros, micros), "false");
		}
		int at = this.random.nextInt(this.live.size());
		Row row = this.live.get(at);
		if (roll < this.table.insertPercent() + this.table.deletePercent()) {
			this.live.set(at, this.live.getLast());
			this.live.removeLast();
			return new Change(sequence, "d", version, row, null, "false");
		}
		Row updated = row.updated(micros);
		this.live.set(at, updated);
		return new Change(sequence, "u", version, row, updated, "false");
	}

	private Row insert(long createdMicros, long updatedMicros) {
		Row row = new Row(this.nextId++, 0, createdMicros, updatedMicros);
		this.live.add(row);
		return row;
	}

}
