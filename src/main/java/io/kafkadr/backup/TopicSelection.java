package io.kafkadr.backup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.kafkadr.archive.TopicSnapshot.Kind;
import io.kafkadr.avro.WireFormat;

/**
 * Chooses topics by the {@code kafka-dr.topics.avro} and {@code kafka-dr.topics.raw} regular
 * expressions, each matching whole topic names. A topic matched by both is a configuration error:
 * kafka-dr never guesses how to keep a topic.
 */
public final class TopicSelection {

	private final List<Pattern> avro;

	private final List<Pattern> raw;

	private final Map<WireFormat, List<Pattern>> wireFormats = new EnumMap<>(WireFormat.class);

	public TopicSelection(BackupProperties.Topics topics) {
		this.avro = compile(topics.avro(), "kafka-dr.topics.avro");
		this.raw = compile(topics.raw(), "kafka-dr.topics.raw");
		topics.wireFormat().forEach((label, expressions) -> {
			WireFormat format = WireFormat.ofLabel(label);
			if (format == null || format.inHeader()) {
				throw new BackupRefusedException("kafka-dr.topics.wire-format." + label + " names no wire format a topic"
						+ " can be configured with; use " + WireFormat.CONFLUENT.label() + ", "
						+ WireFormat.APICURIO_GLOBAL_ID.label() + " or " + WireFormat.APICURIO_CONTENT_ID.label()
						+ " (payloads with Apicurio's id headers are recognised by those headers).");
			}
			this.wireFormats.put(format, compile(expressions, "kafka-dr.topics.wire-format." + label));
		});
	}

	/** How an Avro topic's payloads frame their schema id when their record has no id header. */
	public WireFormat wireFormat(String topic) {
		List<WireFormat> matching = this.wireFormats.entrySet()
			.stream()
			.filter(entry -> matches(entry.getValue(), topic))
			.map(Map.Entry::getKey)
			.toList();
		if (matching.size() > 1) {
			throw new BackupRefusedException("The topic " + topic + " matches kafka-dr.topics.wire-format for "
					+ matching.stream().map(WireFormat::label).toList() + "; narrow the patterns so it matches one.");
		}
		return matching.isEmpty() ? WireFormat.CONFLUENT : matching.get(0);
	}

	public boolean isEmpty() {
		return this.avro.isEmpty() && this.raw.isEmpty();
	}

	/** The selected topics among {@code names}, with how each is kept, in name order. */
	public Map<String, Kind> select(Collection<String> names) {
		Map<String, Kind> selected = new TreeMap<>();
		List<String> conflicts = new ArrayList<>();
		for (String name : names) {
			boolean isAvro = matches(this.avro, name);
			boolean isRaw = matches(this.raw, name);
			if (isAvro && isRaw) {
				conflicts.add(name);
			}
			else if (isAvro || isRaw) {
				selected.put(name, isAvro ? Kind.avro : Kind.raw);
			}
		}
		if (!conflicts.isEmpty()) {
			throw new BackupRefusedException("The topics " + conflicts + " match both kafka-dr.topics.avro " + this.avro
					+ " and kafka-dr.topics.raw " + this.raw + ". A topic is kept either as decoded Avro or as raw bytes,"
					+ " never both: narrow one of the patterns so that each topic matches only one.");
		}
		return selected;
	}

	/** A message for when the patterns select nothing on the cluster. */
	public String describe() {
		return "kafka-dr.topics.avro " + this.avro + " and kafka-dr.topics.raw " + this.raw;
	}

	private static boolean matches(List<Pattern> patterns, String name) {
		return patterns.stream().anyMatch(pattern -> pattern.matcher(name).matches());
	}

	private static List<Pattern> compile(List<String> expressions, String property) {
		List<Pattern> patterns = new ArrayList<>();
		for (String expression : expressions) {
			try {
				patterns.add(Pattern.compile(expression.trim()));
			}
			catch (PatternSyntaxException ex) {
				throw new BackupRefusedException(property + " holds '" + expression + "', which is not a regular expression: "
						+ ex.getDescription() + ". Fix the pattern (for example 'postgres\\.public\\..*').");
			}
		}
		return patterns;
	}

}
