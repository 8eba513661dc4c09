package io.kafkadr.bench;

import java.time.LocalDateTime;
import java.util.List;

import io.kafkadr.bench.Coordination.Fit;
import io.kafkadr.bench.JobRun.Partition;
import io.kafkadr.bench.JobRun.PartitionedStep;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The scale-out scenario's reading of a partitioned step's times: what each gap is, on made-up times. */
class CoordinationTest {

	private static final LocalDateTime T0 = LocalDateTime.of(2026, 12, 6, 12, 0);

	@Test
	void oneSlotHasOneStartLatencyAndAHandoverBeforeEveryLaterPartition() {
		// created at 0.2 s; partitions 1.0–2.0, 2.1–3.0, 3.3–4.0; the manager ends at 4.5 s
		PartitionedStep step = new PartitionedStep("internalTopics", at(0), at(4.5),
				List.of(partition("a", 0.2, 1.0, 2.0, 100), partition("b", 0.2, 2.1, 3.0, 90),
						partition("c", 0.2, 3.3, 4.0, 70)));

		Coordination coordination = Coordination.of(step, 1);

		assertThat(coordination.managerSetup()).isCloseTo(0.2, within(1e-9));
		assertThat(coordination.firstStart()).isCloseTo(0.8, within(1e-9));
		assertThat(coordination.startLatencies()).containsExactly(0.8);
		assertThat(coordination.handovers()).satisfiesExactly(h -> assertThat(h).isCloseTo(0.1, within(1e-9)),
				h -> assertThat(h).isCloseTo(0.3, within(1e-9)));
		assertThat(coordination.endNotice()).isCloseTo(0.5, within(1e-9));
		assertThat(coordination.busyShare()).isCloseTo(2.6 / 4.5, within(1e-9));
		assertThat(coordination.items()).isEqualTo(260);
	}

	@Test
	void aPartitionTakesTheSlotThatBecameFreeLastBeforeItStarted() {
		// two slots: a 0.5–3.0 and b 0.6–1.0 start at once; c starts right after b ends, d after a
		PartitionedStep step = new PartitionedStep("readBack", at(0), at(4),
				List.of(partition("a", 0.1, 0.5, 3.0, 1), partition("b", 0.1, 0.6, 1.0, 1),
						partition("c", 0.1, 1.05, 2.0, 1), partition("d", 0.1, 3.2, 3.5, 1)));

		Coordination coordination = Coordination.of(step, 2);

		assertThat(coordination.startLatencies()).satisfiesExactly(l -> assertThat(l).isCloseTo(0.4, within(1e-9)),
				l -> assertThat(l).isCloseTo(0.5, within(1e-9)));
		// c follows b on its slot (0.05 s), d follows a (0.2 s), not c (1.2 s)
		assertThat(coordination.handovers()).satisfiesExactly(h -> assertThat(h).isCloseTo(0.05, within(1e-9)),
				h -> assertThat(h).isCloseTo(0.2, within(1e-9)));
	}

	@Test
	void theFitSeparatesAPartitionsFixedCostFromItsRate() {
		// 0.1 s per partition and 1,000 items a second
		List<Partition> partitions = List.of(partition("a", 0, 0, 0.1 + 1.0, 1000), partition("b", 0, 0, 0.1 + 2.0, 2000),
				partition("c", 0, 0, 0.1 + 4.0, 4000));

		Fit fit = Fit.of(partitions);

		assertThat(fit.fixedSeconds()).isCloseTo(0.1, within(1e-6));
		assertThat(fit.itemsPerSecond()).isCloseTo(1000, within(1e-3));
		assertThat(Fit.of(partitions.subList(0, 1)).fixedSeconds()).isNaN();
	}

	private static Partition partition(String name, double created, double started, double ended, long items) {
		return new Partition("internalTopicsPartition:" + name, at(created), at(started), at(ended), 1, items);
	}

	private static LocalDateTime at(double seconds) {
		return T0.plusNanos(Math.round(seconds * 1e9));
	}

}
