package io.kafkadr.partitioning;

import org.springframework.util.unit.DataSize;

/** How many partitions a backup or restore moves at once when its setting is left unset. */
public final class Parallelism {

	private Parallelism() {
	}

	/**
	 * One partition per processor the JVM may use (which follows a container's CPU limit), as far as
	 * the heap allows: a partition in flight holds its block, the block's encoded lines and the
	 * consumer's fetch or producer's batches, about four times {@code chunkBytes}, and half the heap
	 * is left for the rest.
	 */
	public static int fromMachine(DataSize chunkBytes) {
		long byHeap = Runtime.getRuntime().maxMemory() / (8 * chunkBytes.toBytes());
		return (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), byHeap));
	}

}
