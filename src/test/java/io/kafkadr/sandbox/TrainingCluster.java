package io.kafkadr.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The cluster the JVM's AOT cache is trained against ({@code aot/train}, run by {@code bench/run} and
 * the Dockerfile): a sandbox broker with one small topic and a consumer group, so that the training
 * run is a real backup. It writes the bootstrap address to {@code DIR/bootstrap} and runs until it is
 * killed.
 */
public final class TrainingCluster {

	// the topic aot/train backs up
	private static final String TOPIC = "training";

	private static final int PARTITIONS = 4;

	private static final int RECORDS = 20_000;

	private TrainingCluster() {
	}

	public static void main(String[] args) throws InterruptedException {
		if (args.length != 1) {
			System.err.println("Usage: TrainingCluster DIR (writes DIR/bootstrap, runs until killed)");
			System.exit(2);
		}
		KafkaSandbox kafka = KafkaSandbox.start();
		seed(kafka.bootstrapServers());
		publish(Path.of(args[0]), kafka.bootstrapServers());
		new CountDownLatch(1).await();
	}

	private static void seed(String bootstrapServers) {
		try (SeedAdmin admin = new SeedAdmin(bootstrapServers);
				SeedProducer producer = new SeedProducer(bootstrapServers, List.of(TOPIC))) {
			admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)));
			byte[] value = "x".repeat(300).getBytes(StandardCharsets.UTF_8);
			for (int i = 0; i < RECORDS; i++) {
				ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TOPIC, i % PARTITIONS, null,
						("key-" + i).getBytes(StandardCharsets.UTF_8), value);
				record.headers().add("source", "training".getBytes(StandardCharsets.UTF_8));
				producer.send(record);
			}
			producer.flush();
			admin.commitOffsets("training-consumer",
					Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(RECORDS / PARTITIONS / 2)));
		}
	}

	/** Written whole, then renamed, so that a reader never sees half an address. */
	private static void publish(Path directory, String bootstrapServers) {
		try {
			Files.createDirectories(directory);
			Path partial = directory.resolve("bootstrap.partial");
			Files.writeString(partial, bootstrapServers);
			Files.move(partial, directory.resolve("bootstrap"), StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
