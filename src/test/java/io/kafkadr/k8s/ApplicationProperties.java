package io.kafkadr.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.logging.LoggingSystemProperty;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusProperties;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * Whether kafka-dr reads a property, decided the way the application decides it: by binding it, with
 * Spring Boot's {@link Binder}, to every {@code @ConfigurationProperties} class of kafka-dr (found by
 * scanning, so a new one counts at once) and to Spring Boot's Kafka and DataSource properties. A
 * property that nothing binds ({@code kafka-dr.topic.avro}, {@code KAFKA_DR_TOPIC_AVRO}) is a typo
 * that the application would silently ignore.
 */
final class ApplicationProperties {

	/** Read by Spring Boot itself while it loads the configuration, so bound by no properties class. */
	static final Set<String> CONFIG_LOCATIONS = Set.of("spring.config.additional-location", "spring.config.location",
			"spring.config.import");

	private static final List<Target> TARGETS = targets();

	private ApplicationProperties() {
	}

	/** Properties as {@code --name=value} arguments or a config file give them. */
	static EnumerablePropertySource<?> properties(Map<String, Object> properties) {
		return new MapPropertySource("properties", properties);
	}

	/** Environment variables, mapped to property names as Spring Boot maps the real environment. */
	static EnumerablePropertySource<?> environment(Map<String, Object> variables) {
		return new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables);
	}

	/** A YAML config file (a plan): its properties, flattened as Spring Boot flattens them. */
	static EnumerablePropertySource<?> yaml(String text) {
		Map<String, Object> properties = new LinkedHashMap<>();
		try {
			for (PropertySource<?> document : new YamlPropertySourceLoader().load("plan",
					new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8)))) {
				EnumerablePropertySource<?> enumerable = (EnumerablePropertySource<?>) document;
				for (String name : enumerable.getPropertyNames()) {
					properties.putIfAbsent(name, enumerable.getProperty(name));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return properties(properties);
	}

	/**
	 * What is wrong with the given properties: each one that nothing of kafka-dr binds, and, with
	 * {@code checkValues}, each value that the class binding it cannot take. Empty when all is well.
	 */
	static List<String> problems(EnumerablePropertySource<?> source, boolean checkValues) {
		Binder binder = new Binder(ConfigurationPropertySources.from(source));
		Recorder recorder = new Recorder();
		List<String> problems = new ArrayList<>();
		for (Target target : TARGETS) {
			try {
				binder.bind(target.prefix(), target.bindable(), recorder);
			}
			catch (BindException ex) {
				if (checkValues) {
					problems.add(ex.getProperty() + ": a value " + target + " cannot take: "
							+ ((ex.getCause() != null) ? ex.getCause().getMessage() : ex.getMessage()));
				}
			}
		}
		for (String name : source.getPropertyNames()) {
			if (!recorder.read.contains(name) && !CONFIG_LOCATIONS.contains(name)) {
				problems.add(name + " is no property kafka-dr reads (none of " + TARGETS + " binds it)");
			}
		}
		return problems;
	}

	/** The value that the given sources, highest precedence first, give {@code name}; null if none. */
	static String resolve(String name, List<PropertySource<?>> sources) {
		return new Binder(ConfigurationPropertySources.from(sources)).bind(name, String.class).orElse(null);
	}

	private static List<Target> targets() {
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
		scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
		List<Target> targets = new ArrayList<>();
		for (BeanDefinition candidate : scanner.findCandidateComponents("io.kafkadr")) {
			Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), null);
			ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
			targets.add(Target.of(annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix(), type));
		}
		targets.add(Target.of("spring.kafka", KafkaProperties.class));
		targets.add(Target.of("spring.datasource", DataSourceProperties.class));
		// read by kafka-dr's Pushgateway export (io.kafkadr.metrics) as Spring Boot binds them
		targets.add(Target.of("management.prometheus.metrics.export", PrometheusProperties.class));
		// Spring Boot's logging system reads these by name (logging.structured.format.console, ...)
		for (LoggingSystemProperty property : LoggingSystemProperty.values()) {
			if (property.getApplicationPropertyName() != null) {
				targets.add(new Target(property.getApplicationPropertyName(), Bindable.of(String.class),
						"Spring Boot's logging"));
			}
		}
		return targets;
	}

	/** What binds a prefix: a properties class, or one property that Spring Boot reads by name. */
	private record Target(String prefix, Bindable<?> bindable, String reader) {

		static Target of(String prefix, Class<?> type) {
			return new Target(prefix, Bindable.of(type), type.getSimpleName());
		}

		@Override
		public String toString() {
			return this.reader + " (" + this.prefix + ")";
		}

	}

	/**
	 * Notes the names, as the source spells them, of the properties that binding used, even those whose
	 * value failed to convert.
	 */
	private static final class Recorder implements BindHandler {

		private final Set<String> read = new HashSet<>();

		@Override
		public Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result) {
			record(context.getConfigurationProperty());
			return result;
		}

		@Override
		public Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Exception error)
				throws Exception {
			record(context.getConfigurationProperty());
			throw error;
		}

		private void record(ConfigurationProperty property) {
			// our sources are plain map sources, whose origins name the property as the source has it
			if (property != null && property.getOrigin() instanceof PropertySourceOrigin origin) {
				this.read.add(origin.getPropertyName());
			}
		}

	}

}
