package io.kafkadr.cli;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.kafkadr.archive.StorageProperties;
import io.kafkadr.backup.BackupProperties;
import io.kafkadr.backup.PruneProperties;
import io.kafkadr.encryption.EncryptionProperties;
import io.kafkadr.execution.JobRepositoryProperties;
import io.kafkadr.kafka.ConnectProperties;
import io.kafkadr.partitioning.PartitioningProperties;
import io.kafkadr.progress.ProgressProperties;
import io.kafkadr.registry.RegistryProperties;
import io.kafkadr.restore.RestoreProperties;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Refuses a {@code kafka-dr.*} setting that no part of kafka-dr reads, naming the closest one it
 * does, before anything is created: a misspelt setting would otherwise be ignored silently (a
 * backup landing in {@code ./backups} because {@code kafka-dr.storage.locaton} was set). Settings
 * from environment variables are not checked: their names do not map back to one setting.
 */
final class UnknownSettings implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	private static final String ROOT = "kafka-dr";

	/** Every {@code @ConfigurationProperties} type of kafka-dr, by its prefix. */
	static final List<Map.Entry<String, Class<?>>> PROPERTIES = List.of(Map.entry(ROOT, BackupProperties.class),
			Map.entry(ROOT, StopProperties.class), Map.entry("kafka-dr.backup.prune", PruneProperties.class),
			Map.entry("kafka-dr.restore", RestoreProperties.class), Map.entry("kafka-dr.registry", RegistryProperties.class),
			Map.entry("kafka-dr.connect", ConnectProperties.class), Map.entry("kafka-dr.storage", StorageProperties.class),
			Map.entry("kafka-dr.job-repository", JobRepositoryProperties.class),
			Map.entry("kafka-dr.encryption", EncryptionProperties.class),
			Map.entry("kafka-dr.progress", ProgressProperties.class), Map.entry(ROOT, PartitioningProperties.class));

	private final Set<String> known = new TreeSet<>();

	/**
	 * Names under which any key is a setting: maps such as {@code kafka-dr.topics.wire-format}, and
	 * the settings of the sandbox that the demo and the tests start (test classes, not in the jar).
	 */
	private final List<String> open = new ArrayList<>(List.of("kafka-dr.sandbox"));

	UnknownSettings() {
		PROPERTIES.forEach(entry -> collect(entry.getKey(), entry.getValue()));
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(event.getEnvironment())) {
			if (source instanceof IterableConfigurationPropertySource names && !fromEnvironmentVariables(source)) {
				names.stream().map(ConfigurationPropertyName::toString).forEach(this::check);
			}
		}
	}

	private void check(String name) {
		if (!name.startsWith(ROOT + ".")) {
			return;
		}
		String setting = name.replaceAll("\\[\\d+]", "");
		if (this.known.contains(setting) || this.open.stream().anyMatch(map -> setting.startsWith(map + "."))
				|| isGroup(setting)) {
			return;
		}
		throw new UsageException(setting + " is not a kafka-dr setting; did you mean " + closest(setting)
				+ "? Nothing was done. README lists every setting.");
	}

	/** A group of settings given an empty value, as YAML does for {@code registry:} with everything under it commented out. */
	private boolean isGroup(String setting) {
		return this.open.contains(setting) || this.known.stream().anyMatch(name -> name.startsWith(setting + "."));
	}

	private String closest(String setting) {
		String best = null;
		int distance = Integer.MAX_VALUE;
		for (String candidate : this.known) {
			int d = distance(setting, candidate);
			if (d < distance) {
				best = candidate;
				distance = d;
			}
		}
		return best;
	}

	private void collect(String prefix, Class<?> type) {
		for (RecordComponent component : type.getRecordComponents()) {
			String name = prefix + "." + kebab(component.getName());
			if (component.getType().isRecord()) {
				collect(name, component.getType());
			}
			else if (Map.class.isAssignableFrom(component.getType())) {
				this.open.add(name);
			}
			else {
				this.known.add(name);
			}
		}
	}

	private static boolean fromEnvironmentVariables(ConfigurationPropertySource source) {
		return source.getUnderlyingSource() instanceof PropertySource<?> underlying
				&& StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME.equals(underlying.getName());
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	/** Levenshtein distance. */
	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
