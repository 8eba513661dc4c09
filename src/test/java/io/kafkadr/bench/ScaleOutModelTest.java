package io.kafkadr.bench;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.kafkadr.bench.Coordination.Fit;
import io.kafkadr.bench.ScaleOutModel.Operation;
import io.kafkadr.bench.ScaleOutModel.Step;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The scale-out model's arithmetic, on made-up inputs. */
class ScaleOutModelTest {

	/** 0.5 s setup and first start, 0.1 s handover, 1 s warm-up, 0.2 s end; 0.1 s + 1 s per 1,000 items. */
	private static Step step(List<Long> queue) {
		return new Step("internalTopics", 0.3, 0.2, 0.2, 0.1, 1.0, new Fit(0.1, 1000, queue.size()), queue, 8);
	}

	@Test
	void oneWorkerRunsThePartitionsOneAfterTheOther() {
		Step step = step(Collections.nCopies(4, 1000L));

		// 0.5 + 4 × 1.1 + 3 handovers + 1 warm-up + 0.2
		assertThat(ScaleOutModel.stepSeconds(step, 1, 1)).isCloseTo(0.5 + 4.4 + 0.3 + 1.0 + 0.2, within(1e-9));
	}

	@Test
	void asManyWorkersAsPartitionsEachPayTheWarmUpOnce() {
		Step step = step(Collections.nCopies(4, 1000L));

		assertThat(ScaleOutModel.stepSeconds(step, 4, 1)).isCloseTo(0.5 + 1.1 + 1.0 + 0.2, within(1e-9));
		assertThat(ScaleOutModel.stepSeconds(step, 64, 1)).isEqualTo(ScaleOutModel.stepSeconds(step, 4, 1));
	}

	@Test
	void theLastPartitionsMakeATail() {
		// five partitions on four workers: the fifth runs alone after the first round
		Step step = step(Collections.nCopies(5, 1000L));

		assertThat(ScaleOutModel.stepSeconds(step, 4, 1)).isCloseTo(0.5 + 1.1 + 1.0 + 0.1 + 1.1 + 0.2, within(1e-9));
		// a large partition handed out last is the tail whatever the workers
		Step skewed = step(List.of(1000L, 1000L, 1000L, 8000L));
		assertThat(ScaleOutModel.stepSeconds(skewed, 4, 1)).isCloseTo(0.5 + 8.1 + 1.0 + 0.2, within(1e-9));
	}

	@Test
	void largerPartitionsScaleOnlyTheStreamingPart() {
		Step step = step(List.of(1000L));

		assertThat(ScaleOutModel.stepSeconds(step, 1, 10)).isCloseTo(0.5 + 0.1 + 10 + 1.0 + 0.2, within(1e-9));
	}

	@Test
	void theManagersOwnTimeAddsToItsSteps() {
		Step step = step(Collections.nCopies(4, 1000L));
		Operation operation = new Operation("backup", 4000, 300, 3.0, List.of(step, step), Map.of(), 10, 11);

		assertThat(operation.wall(2)).isCloseTo(3.0 + 2 * ScaleOutModel.stepSeconds(step, 2, 1), within(1e-9));
	}

}
