package io.kafkadr.restore;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.kafkadr.archive.BackupDirectory;
import org.springframework.stereotype.Component;

/**
 * The plan of each restore this process runs, built once. Every step of a restore, and every
 * partition of its partitioned steps, works from the plan, and building it reads and checks every
 * manifest of the backup's chain: built per bean, its cost grew with links times partitions
 * squared. A backup's files do not change while it is restored (the restore holds the location's
 * restore lock, and a complete backup is never rewritten), so one plan serves the whole run.
 */
@Component
public class RestorePlans {

	private final Map<List<Object>, RestorePlan> plans = new ConcurrentHashMap<>();

	/** The plan for restoring this backup with these options (their JSON, as the job parameter holds it). */
	public RestorePlan of(BackupDirectory backup, String options) {
		return this.plans.computeIfAbsent(List.of(backup.location(), options),
				key -> RestorePlan.of(backup, RestoreOptions.fromJson(options)));
	}

}
