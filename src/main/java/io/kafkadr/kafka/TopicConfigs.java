package io.kafkadr.kafka;

import java.util.HashMap;
import java.util.Map;

/**
 * The topic settings a restore must hold back while it writes, and puts back afterwards.
 *
 * <ul>
 * <li>A topic with {@code message.timestamp.type=LogAppendTime} would have every restored record's
 * timestamp overwritten by the broker: it is created as {@code CreateTime}.</li>
 * <li>Records older than {@code retention.ms} are deleted soon after they are written: with
 * retention suspended, the topic is created without time or size retention.</li>
 * </ul>
 */
public final class TopicConfigs {

	static final String TIMESTAMP_TYPE = "message.timestamp.type";

	static final String RETENTION_MS = "retention.ms";

	static final String RETENTION_BYTES = "retention.bytes";

	static final String CLEANUP_POLICY = "cleanup.policy";

	private TopicConfigs() {
	}

	/** The configs to create a topic with for a restore. */
	public static Map<String, String> whileRestoring(Map<String, String> backedUp, boolean suspendRetention) {
		Map<String, String> configs = new HashMap<>(backedUp);
		if ("LogAppendTime".equals(configs.get(TIMESTAMP_TYPE))) {
			configs.put(TIMESTAMP_TYPE, "CreateTime");
		}
		if (suspendRetention && deletesOldRecords(backedUp)) {
			configs.put(RETENTION_MS, "-1");
			configs.put(RETENTION_BYTES, "-1");
		}
		return configs;
	}

	/** Whether the topic deletes records by age (its cleanup policy includes {@code delete}, the default). */
	public static boolean deletesOldRecords(Map<String, String> configs) {
		return configs.getOrDefault(CLEANUP_POLICY, "delete").contains("delete");
	}

	/** The retention of a topic in milliseconds, or -1 for none (the broker default is assumed to be 7 days). */
	public static long retentionMs(Map<String, String> configs) {
		if (!deletesOldRecords(configs)) {
			return -1;
		}
		return Long.parseLong(configs.getOrDefault(RETENTION_MS, "604800000"));
	}

	/** The settings {@link #whileRestoring} changed, which a restore must set back (null value: back to the default). */
	public static Map<String, String> afterRestoring(Map<String, String> backedUp, boolean suspendRetention) {
		Map<String, String> changes = new HashMap<>();
		Map<String, String> restoring = whileRestoring(backedUp, suspendRetention);
		restoring.forEach((name, value) -> {
			if (!value.equals(backedUp.get(name))) {
				changes.put(name, backedUp.get(name));
			}
		});
		return changes;
	}

}
