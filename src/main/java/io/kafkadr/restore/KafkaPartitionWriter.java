package io.kafkadr.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamWriter;

/**
 * Produces a chunk of records and returns only when every one is acknowledged by all in-sync
 * replicas, so that a committed chunk is in the target. The producer is idempotent, so records
 * reach the partition in order without duplicates even when sends are retried.
 */
public class KafkaPartitionWriter implements ItemStreamWriter<ProducerRecord<byte[], byte[]>> {

	private final Supplier<Producer<byte[], byte[]>> producers;

	private Producer<byte[], byte[]> producer;

	public KafkaPartitionWriter(Supplier<Producer<byte[], byte[]>> producers) {
		this.producers = producers;
	}

	@Override
	public void open(ExecutionContext context) {
		this.producer = this.producers.get();
	}

	@Override
	public void write(Chunk<? extends ProducerRecord<byte[], byte[]>> chunk) throws InterruptedException {
		List<Future<RecordMetadata>> sent = new ArrayList<>(chunk.size());
		for (ProducerRecord<byte[], byte[]> record : chunk) {
			sent.add(this.producer.send(record));
		}
		this.producer.flush();
		for (Future<RecordMetadata> future : sent) {
			try {
				future.get();
			}
			catch (ExecutionException ex) {
				throw new ItemStreamException("Kafka did not accept a restored record: " + ex.getCause().getMessage()
						+ ". Run the same restore command again; it continues after the last record the target holds.",
						ex.getCause());
			}
		}
	}

	@Override
	public void close() {
		if (this.producer != null) {
			this.producer.close();
			this.producer = null;
		}
	}

}
