package io.kafkadr;

import io.kafkadr.cli.KafkaDrCommandLine;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The kafka-dr command-line application: backup and restore of Kafka CDC pipelines. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class KafkaDrApplication {

	public static void main(String[] args) {
		System.exit(KafkaDrCommandLine.run(args));
	}

}
