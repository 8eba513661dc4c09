package io.kafkadr.backup;

import java.util.Map;

import io.kafkadr.partitioning.Parallelism;
import io.kafkadr.restore.RestoreProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ParallelismDefaultTest {

	private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

	@Test
	void unsetParallelismFollowsTheProcessorsWhenTheHeapHoldsThem() {
		assertThat(backup(Map.of("kafka-dr.backup.chunk-bytes", "64KB")).parallelism()).isEqualTo(PROCESSORS);
		assertThat(restore(Map.of("kafka-dr.restore.chunk-bytes", "64KB")).parallelism()).isEqualTo(PROCESSORS);
	}

	@Test
	void unsetParallelismShrinksToWhatTheHeapHoldsAndNeverBelowOne() {
		long heap = Runtime.getRuntime().maxMemory();
		String threePerHeap = (heap / 8 / 3) + "B";
		assertThat(backup(Map.of("kafka-dr.backup.chunk-bytes", threePerHeap)).parallelism())
			.isEqualTo(Math.min(PROCESSORS, 3));
		assertThat(restore(Map.of("kafka-dr.restore.chunk-bytes", heap + "B")).parallelism()).isEqualTo(1);
		assertThat(Parallelism.fromMachine(DataSize.ofBytes(heap * 2))).isEqualTo(1);
	}

	@Test
	void aSetParallelismIsKeptAndZeroIsRefusedNamingTheSetting() {
		assertThat(backup(Map.of("kafka-dr.backup.parallelism", "16")).parallelism()).isEqualTo(16);
		assertThat(restore(Map.of("kafka-dr.restore.parallelism", "7")).parallelism()).isEqualTo(7);
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> backup(Map.of("kafka-dr.backup.parallelism", "0")))
			.havingRootCause()
			.withMessageContaining("kafka-dr.backup.parallelism must be positive");
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> restore(Map.of("kafka-dr.restore.parallelism", "-1")))
			.havingRootCause()
			.withMessageContaining("kafka-dr.restore.parallelism must be positive");
	}

	private static BackupProperties.Backup backup(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("kafka-dr", BackupProperties.class)
			.backup();
	}

	private static RestoreProperties restore(Map<String, String> settings) {
		return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("kafka-dr.restore",
				RestoreProperties.class);
	}

}
