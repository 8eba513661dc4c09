package io.kafkadr.restore;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.apache.kafka.clients.producer.Producer;

/**
 * One restore producer per partition thread, lent to every partition the thread restores in turn: a
 * producer pays a metadata round trip and a producer id before its first record, which a restore
 * of many small partitions paid once per partition. Idempotence holds per partition, so partitions
 * can share one. A producer whose partition failed while records were in flight is closed at once,
 * dropping them (its partition resumes from what the target holds), and the thread gets a new one.
 */
public final class PartitionProducers implements AutoCloseable {

	private final Function<String, Producer<byte[], byte[]>> factory;

	private final Map<Thread, Producer<byte[], byte[]>> producers = new ConcurrentHashMap<>();

	/** Producers made by {@code factory}, given a client id. */
	public PartitionProducers(Function<String, Producer<byte[], byte[]>> factory) {
		this.factory = factory;
	}

	/** The calling thread's producer, made on first use. */
	public Producer<byte[], byte[]> forCurrentThread() {
		return this.producers.computeIfAbsent(Thread.currentThread(),
				thread -> this.factory.apply("kafka-dr-restore-" + thread.getName()));
	}

	/** Closes the calling thread's producer without sending what it holds; its next partition gets a new one. */
	public void discardForCurrentThread() {
		Producer<byte[], byte[]> producer = this.producers.remove(Thread.currentThread());
		if (producer != null) {
			producer.close(Duration.ZERO);
		}
	}

	/**
	 * Closes every producer. Each partition's chunks were acknowledged before they committed, so a
	 * producer left here holds nothing to send.
	 */
	@Override
	public void close() {
		this.producers.values().forEach(producer -> producer.close(Duration.ZERO));
		this.producers.clear();
	}

}
