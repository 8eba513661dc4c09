package io.kafkadr.metrics;

import io.kafkadr.http.HttpEndpoint;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Spring Boot's {@code management.prometheus.metrics.export.pushgateway.*} settings ({@code enabled},
 * {@code address}, {@code scheme}, {@code job}, {@code grouping-key}, {@code username}/{@code password}
 * or {@code token}, {@code push-rate}, {@code shutdown-operation}), served by kafka-dr's own
 * {@link PushgatewayExport} while the Prometheus client's Pushgateway exporter, which Boot's support
 * needs, is not on the class path. Pushes the text format whatever {@code format} says.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("management.prometheus.metrics.export.pushgateway.enabled")
@ConditionalOnMissingClass("io.prometheus.metrics.exporter.pushgateway.PushGateway")
public class PushgatewayConfiguration {

	private static final String DEFAULT_JOB = "kafka-dr";

	@Bean
	PushgatewayExport pushgatewayExport(PrometheusMeterRegistry registry, Environment environment) {
		PrometheusProperties.Pushgateway properties = Binder.get(environment)
			.bindOrCreate("management.prometheus.metrics.export", PrometheusProperties.class)
			.getPushgateway();
		String baseUrl = properties.getScheme().name().toLowerCase() + "://" + properties.getAddress();
		String job = StringUtils.hasText(properties.getJob()) ? properties.getJob() : DEFAULT_JOB;
		return new PushgatewayExport(new Pushgateway(baseUrl, job, properties.getGroupingKey(), authorization(properties)),
				registry::scrape, properties.getPushRate(), properties.getShutdownOperation());
	}

	private static String authorization(PrometheusProperties.Pushgateway properties) {
		if (StringUtils.hasText(properties.getToken())) {
			return "Bearer " + properties.getToken();
		}
		if (StringUtils.hasText(properties.getUsername())) {
			return HttpEndpoint.basicAuthorization(properties.getUsername() + ":"
					+ ((properties.getPassword() != null) ? properties.getPassword() : ""));
		}
		return null;
	}

}
