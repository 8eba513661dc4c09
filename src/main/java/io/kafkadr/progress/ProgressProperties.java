package io.kafkadr.progress;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How often ({@code kafka-dr.progress.interval}) {@code backup} and {@code restore} log a line per
 * topic-partition they are working on, and whether they show a live display on a terminal
 * ({@code kafka-dr.progress.display}).
 */
@ConfigurationProperties("kafka-dr.progress")
public record ProgressProperties(@DefaultValue("30s") Duration interval, @DefaultValue("auto") Display display) {

	/** {@code auto}: a live display when standard error is an interactive terminal; {@code off}: never. */
	public enum Display {

		auto, off

	}

}
