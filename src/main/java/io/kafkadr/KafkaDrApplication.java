package io.kafkadr;

import javax.sql.DataSource;

import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.StorageProperties;
import io.kafkadr.backup.BackupProperties;
import io.kafkadr.cli.KafkaDrCommandLine;
import io.kafkadr.encryption.EncryptionProperties;
import io.kafkadr.encryption.KeyRing;
import io.kafkadr.kafka.KafkaClients;
import io.kafkadr.partitioning.WorkRequests;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;

/**
 * The kafka-dr command-line application: backup and restore of Kafka CDC pipelines. Spring Batch's
 * job repository is {@link io.kafkadr.execution.JobRepositoryConfiguration}'s, in place of Spring
 * Boot's, so that it is opened on first use.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class KafkaDrApplication {

	private static final Logger log = LoggerFactory.getLogger(KafkaDrApplication.class);

	public static void main(String[] args) {
		System.exit(KafkaDrCommandLine.run(args));
	}

	@Bean
	BackupStorage backupStorage(StorageProperties properties, EncryptionProperties encryption) {
		KeyRing keys = encryption.keyRing();
		keys.warning().ifPresent(log::warn);
		return properties.storage(keys);
	}

	@Bean
	KafkaClients kafkaClients(KafkaProperties kafka, BackupProperties properties) {
		return new KafkaClients(kafka, properties.backup().kafkaTimeout());
	}

	/**
	 * The queue of remote partitions, one per cluster, registry and storage location; it touches the
	 * job repository only when a remote step or a worker uses it.
	 */
	@Bean
	WorkRequests workRequests(DataSource dataSource, DataSourceProperties connection, KafkaProperties kafka,
			StorageProperties storage, @Value("${kafka-dr.registry.url:}") String registryUrl) {
		String plan = String.join(",", kafka.getBootstrapServers()) + "|" + registryUrl + "|" + storage.location();
		return new WorkRequests(dataSource, connection, plan);
	}

	/** Only when {@code kafka-dr.registry.url} is set: a backup of raw topics needs no registry. */
	@Bean
	@ConditionalOnExpression("'${kafka-dr.registry.url:}' != ''")
	RegistryClient registryClient(RegistryProperties properties) {
		return new RegistryClient(properties);
	}

}
