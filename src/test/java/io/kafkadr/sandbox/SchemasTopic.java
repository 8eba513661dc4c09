package io.kafkadr.sandbox;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;

import static io.kafkadr.sandbox.SeedJson.object;

/**
 * The {@code _schemas} topic a Confluent Schema Registry would have written for the registered
 * schemas: a NOOP record when it started, then one record per subject version. The pipeline's
 * registry here is Apicurio, so nothing reads it; it is there for backups of raw topics.
 */
final class SchemasTopic {

	static final String TOPIC = "_schemas";

	/** A schema the seeder registered, and when in the pipeline's history that happened. */
	record Registration(String subject, int version, int id, String schema, long millis) {
	}

	private SchemasTopic() {
	}

	static List<ProducerRecord<byte[], byte[]>> records(List<Registration> registrations, long startMillis) {
		List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
		records.add(record(startMillis, object("keytype", "NOOP", "magic", 0), null));
		for (Registration registration : registrations) {
			records.add(record(registration.millis(),
					object("keytype", "SCHEMA", "subject", registration.subject(), "version", registration.version(),
							"magic", 1),
					object("subject", registration.subject(), "version", registration.version(), "id", registration.id(),
							"schema", registration.schema(), "deleted", false)));
		}
		return records;
	}

	private static ProducerRecord<byte[], byte[]> record(long millis, Object key, Object value) {
		return new ProducerRecord<>(TOPIC, 0, millis, SeedJson.bytes(key), (value != null) ? SeedJson.bytes(value) : null);
	}

}
