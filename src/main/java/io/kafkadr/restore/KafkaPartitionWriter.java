package io.kafkadr.restore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * Produces a chunk of record blocks and returns only when every record is acknowledged by all in-sync
 * replicas, so that a committed chunk is in the target. The producer is idempotent, so records
 * reach the partition in order without duplicates even when sends are retried.
 *
 * <p>Every wait is bounded by the producer's {@code delivery.timeout.ms}, which the producer does
 * not always keep to itself: an idempotent producer that has not got its producer id yet when the
 * brokers go away (or that must bump its epoch after a failed batch) retries that request forever
 * and never expires its batches, so {@code flush()}, a future's {@code get()} and {@code close()}
 * would wait until the brokers come back.
 */
public class KafkaPartitionWriter implements ItemStreamWriter<RestoreBlock> {

	/** Beyond the delivery timeout, so that the producer's own, more precise, failure comes first. */
	private static final Duration GRACE = Duration.ofSeconds(5);

	private final PartitionProducers producers;

	private final Duration deliveryTimeout;

	private Producer<byte[], byte[]> producer;

	/** Whether a chunk failed with records in flight: the producer may still send them, so it goes. */
	private boolean failed;

	public KafkaPartitionWriter(PartitionProducers producers, Duration deliveryTimeout) {
		this.producers = producers;
		this.deliveryTimeout = deliveryTimeout;
	}

	@Override
	public void open(ExecutionContext context) {
		this.producer = this.producers.forCurrentThread();
		this.failed = false;
	}

	@Override
	public void write(Chunk<? extends RestoreBlock> chunk) throws InterruptedException {
		this.failed = true;
		long deadline = System.nanoTime() + this.deliveryTimeout.plus(GRACE).toNanos();
		List<Future<RecordMetadata>> sent = new ArrayList<>();
		for (RestoreBlock block : chunk) {
			for (ProducerRecord<byte[], byte[]> record : block.records()) {
				sent.add(this.producer.send(record));
			}
		}
		// No flush(): it cannot be bounded. The last batch leaves after linger.ms.
		for (Future<RecordMetadata> future : sent) {
			try {
				future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException ex) {
				throw new ItemStreamException("Kafka did not accept a restored record: " + ex.getCause().getMessage()
						+ ". Run the same restore command again; it continues after the last record the target holds.",
						ex.getCause());
			}
			catch (TimeoutException ex) {
				throw new ItemStreamException("Kafka did not acknowledge restored records within " + this.deliveryTimeout
						+ " (the producer's delivery.timeout.ms); are the brokers up? Run the same restore command again;"
						+ " it continues after the last record the target holds.", ex);
			}
		}
		this.failed = false;
	}

	@Override
	public void close() {
		if (this.producer != null && this.failed) {
			// Its chunk failed: nothing it still holds may be written any more.
			this.producers.discardForCurrentThread();
		}
		this.producer = null;
	}

}
