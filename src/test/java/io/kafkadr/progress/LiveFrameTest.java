package io.kafkadr.progress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live display's frame, from partitions on the board to text: the total line, the table's
 * columns and units, rates over the recent window, ETAs, the "… N more" line past the height, and
 * no line reaching the terminal's last column.
 */
class LiveFrameTest {

	private static final long SECOND = Duration.ofSeconds(1).toNanos();

	private static final long MIB = 1024 * 1024;

	private final LiveFrame frame = new LiveFrame(true);

	@Test
	void partitionsOnTheBoardShowRecordsOfExpectedPercentRateOverTheWindowAndEta() {
		RecentRates rates = new RecentRates(Duration.ofSeconds(10));
		// a backup partition: offsets [0, 50,000), of which 12,000 read in 4 s, at 1 MiB/s
		Transfer users = new Transfer("backup", "cdc.users", 0, 50_000, false, 0, 0, 0, 0);
		users.add(12_000, 4 * MIB, 12_000);
		// one that ran 2 s and is done, 3 MiB in all
		Transfer orders = new Transfer("backup", "cdc.orders", 1, 30_000, false, 0, 0, 0, 0);
		orders.add(29_990, 3 * MIB, 29_995);
		orders.finish(BatchStatus.COMPLETED, 2 * SECOND);
		List<String> lines = this.frame.render(new LiveFrame.Job("backup", List.of("cdcTopics"), 2, 1, 0),
				rates.rows(List.of(orders, users), 4 * SECOND), 120, 20);
		assertThat(lines).containsExactly(
				"backup  step cdcTopics  partitions 1/2 done  41,990 / ≤80,000 records (52%)  1.0 MiB/s  ETA 13s",
				"  PARTITION              RECORDS     %         RATE    ETA",
				"  cdc.users-0   12,000 / ≤50,000   24%    1.0 MiB/s    13s",
				"  cdc.orders-1  29,990 / ≤30,000  100%    1.5 MiB/s   done");
	}

	@Test
	void theRateIsOverTheRecentWindowNotTheWholeRun() {
		RecentRates rates = new RecentRates(Duration.ofSeconds(10));
		Transfer restore = new Transfer("restore", "cdc.users", 0, 100_000, true, 0, 0, 0, 0);
		// 60 MiB in its first 20 s, then nothing for 10 s: its average says 2 MiB/s, its pace says stalled
		for (int second = 1; second <= 30; second++) {
			if (second <= 20) {
				restore.add(2_000, 3 * MIB, restore.advanced() + 2_000);
			}
			rates.rows(List.of(restore), second * SECOND);
		}
		LiveFrame.Row row = rates.rows(List.of(restore), 31 * SECOND).get(0);
		assertThat(row.bytesPerSecond()).isZero();
		assertThat(this.frame.render(new LiveFrame.Job("restore", List.of("cdcTopics"), 1, 0, 0), List.of(row), 120, 20))
			.containsExactly("restore  step cdcTopics  partitions 0/1 done  40,000 / 100,000 records (40%)  0 B/s",
					"  PARTITION             RECORDS     %         RATE    ETA",
					"  cdc.users-0  40,000 / 100,000   40%        0 B/s      -");
	}

	@Test
	void aPartitionJustBegunHasNoRateYet() {
		RecentRates rates = new RecentRates(Duration.ofSeconds(10));
		Transfer started = new Transfer("restore", "cdc.users", 0, 100, true, 0, 0, 0, 0);
		started.add(10, 1000, 10);
		LiveFrame.Row row = rates.rows(List.of(started), SECOND / 10).get(0);
		assertThat(row.bytesPerSecond()).isNaN();
		assertThat(this.frame.render(new LiveFrame.Job("restore", List.of(), 0, 0, 0), List.of(row), 120, 20))
			.containsExactly("restore  10 / 100 records (10%)", "  PARTITION     RECORDS     %         RATE    ETA",
					"  cdc.users-0  10 / 100   10%            -      -");
	}

	@Test
	void pastItsHeightTheFrameShowsTheUnfinishedAndBusiestPartitionsAndCountsTheRest() {
		List<LiveFrame.Row> rows = new ArrayList<>();
		for (int partition = 0; partition < 30; partition++) {
			// partitions 0-9 done, 10-27 moving at (partition) KiB/s, 28 failed, 29 moving at an unknown rate
			BatchStatus finished = (partition < 10) ? BatchStatus.COMPLETED : (partition == 28) ? BatchStatus.FAILED : null;
			double rate = (partition == 29) ? Double.NaN : partition * 1024.0;
			rows.add(new LiveFrame.Row("bulk", partition, 500, 1_000, true, 500, rate, 10, finished));
		}
		List<String> lines = this.frame.render(new LiveFrame.Job("restore", List.of("cdcTopics"), 30, 10, 0), rows, 120,
				20);
		assertThat(lines).hasSize(22);
		assertThat(lines.get(0)).isEqualTo("restore  step cdcTopics  partitions 10/30 done  15,000 / 30,000 records (50%)"
				+ "  333.0 KiB/s  ETA 50s");
		List<String> names = lines.subList(2, 21).stream().map((line) -> line.strip().split(" +")[0]).toList();
		// the busiest first: 27 down to 10; the one at an unknown rate last of the running
		assertThat(names.subList(0, 18)).containsExactly("bulk-27", "bulk-26", "bulk-25", "bulk-24", "bulk-23", "bulk-22",
				"bulk-21", "bulk-20", "bulk-19", "bulk-18", "bulk-17", "bulk-16", "bulk-15", "bulk-14", "bulk-13", "bulk-12",
				"bulk-11", "bulk-10");
		assertThat(names.get(18)).isEqualTo("bulk-29");
		assertThat(lines.get(21)).isEqualTo("  … 11 more: 1 failed or stopped, 10 done");
	}

	@Test
	void aNarrowTerminalCutsNamesFromTheLeftAndNoLineReachesItsLastColumn() {
		RecentRates rates = new RecentRates(Duration.ofSeconds(10));
		Transfer transfer = new Transfer("backup", "postgres.inventory.public.customer_addresses", 12, 2_000_000, false,
				0, 0, 0, 0);
		transfer.add(1_250_000, 700 * MIB, 1_300_000);
		List<String> lines = this.frame.render(new LiveFrame.Job("backup", List.of("cdcTopics", "rawTopics"), 40, 3, 5),
				rates.rows(List.of(transfer), 100 * SECOND), 60, 20);
		assertThat(lines).allSatisfy((line) -> assertThat(line.length()).as(line).isLessThan(60));
		// 5 partitions not begun: no total of expected records and no ETA for the whole yet; too narrow for the
		// partitions done and the steps
		assertThat(lines.get(0)).isEqualTo("backup  1,250,000 records  7.0 MiB/s");
		assertThat(lines.get(2)).isEqualTo("  …ddresses-12  1,250,000 / ≤2,000,000  65%  7.0 MiB/s  54s");
	}

	@Test
	void aTerminalWithoutUnicodeGetsAscii() {
		LiveFrame ascii = new LiveFrame(false);
		List<LiveFrame.Row> rows = new ArrayList<>();
		for (int partition = 0; partition < 3; partition++) {
			rows.add(new LiveFrame.Row("a-very-long-topic-name-indeed", partition, 5, 10, false, 5, 1, 1, null));
		}
		List<String> lines = ascii.render(new LiveFrame.Job("backup", List.of("rawTopics"), 3, 0, 0), rows, 50, 2);
		assertThat(lines).containsExactly("backup  15 / <=30 records (50%)  3 B/s  ETA 5s",
				"  PARTITION              RECORDS    %   RATE  ETA", "  ...pic-name-indeed-0  5 / <=10  50%  1 B/s   5s",
				"  ... 2 more: 2 moving");
	}

}
