package io.kafkadr.progress;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The progress board, kafka-dr's transfer metrics, the live display on a terminal and the progress
 * reporter the jobs listen with.
 */
@Configuration(proxyBeanMethods = false)
public class ProgressConfiguration {

	@Bean
	TransferBoard transferBoard() {
		return new TransferBoard();
	}

	@Bean
	TransferMeters transferMeters(MeterRegistry registry) {
		return new TransferMeters(registry);
	}

	@Bean
	LiveDisplay liveDisplay(TransferBoard board, ProgressProperties properties) {
		return new LiveDisplay(board, properties);
	}

	@Bean
	ProgressReporter progressReporter(TransferBoard board, JobRepository jobRepository, ProgressProperties properties,
			LiveDisplay display) {
		return new ProgressReporter(board, jobRepository, properties, display);
	}

}
