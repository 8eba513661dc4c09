package io.kafkadr.progress;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How often ({@code kafka-dr.progress.interval}) {@code backup} and {@code restore} log a line per
 * topic-partition they are working on.
 */
@ConfigurationProperties("kafka-dr.progress")
public record ProgressProperties(@DefaultValue("30s") Duration interval) {
}
