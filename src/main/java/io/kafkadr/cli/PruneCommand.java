package io.kafkadr.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import io.kafkadr.backup.BackupPruner;
import io.kafkadr.backup.PrunePlan;
import io.kafkadr.backup.RetentionPolicy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code prune}: deletes the backups a retention policy does not keep. */
@Command(name = "prune", mixinStandardHelpOptions = true,
		description = { "Delete old backups: those not among the newest N complete ones (--keep) and/or older than a",
				"duration (--older-than); with both, a backup goes only when neither keeps it. The newest complete",
				"backup always stays. Incomplete backups go only with --older-than, once no backup resumes them.",
				"A backup that a kept incremental backup continues stays too: chains are kept whole.",
				"Nothing is deleted while a backup or a restore uses the storage location." })
class PruneCommand implements Callable<Integer> {

	@Mixin
	SettingOptions settings;

	@Option(names = "--keep", paramLabel = "N",
			description = "Keep the newest N complete backups, full or incremental, and what they continue (N >= 1).")
	Integer keep;

	@Option(names = "--older-than", paramLabel = "DURATION",
			description = "Delete backups older than this, e.g. 30d, 12h (complete: since they completed).")
	String olderThan;

	@Option(names = "--dry-run", description = "List what would be deleted; delete nothing.")
	boolean dryRun;

	@Option(names = "--json", description = "Print JSON for scripts.")
	boolean json;

	@Spec
	CommandSpec spec;

	@Autowired
	BackupPruner pruner;

	@Override
	public Integer call() {
		RetentionPolicy policy = policy();
		PrunePlan plan = this.dryRun ? this.pruner.plan(policy) : this.pruner.prune(policy);
		Output output = new Output(this.spec.commandLine().getOut());
		if (this.json) {
			output.json(plan);
			return ExitCodes.OK;
		}
		output.line("Retention: " + plan.policy());
		output.line(String.format("  %-28s %-11s %-11s %-28s %6s  %-10s %s", "BACKUP", "STATUS", "TYPE", "BASE", "AGE",
				"ACTION", "WHY"));
		for (PrunePlan.Decision decision : plan.backups()) {
			String action = !decision.delete() ? "kept" : this.dryRun ? "would go" : "deleted";
			String age = (decision.time() != null)
					? BackupsCommand.age(Math.max(0, Duration.between(decision.time(), Instant.now()).toSeconds())) : "-";
			output.line(String.format("  %-28s %-11s %-11s %-28s %6s  %-10s %s", decision.backupId(), decision.status(),
					Output.orDash(decision.type()), Output.orDash(decision.base()), age, action, decision.reason()));
		}
		int deleted = plan.deleted().size();
		output.line(this.dryRun ? "Dry run: " + deleted + " of " + plan.backups().size() + " backups would be deleted;"
				+ " nothing was deleted." : "Deleted " + deleted + " of " + plan.backups().size() + " backups.");
		return ExitCodes.OK;
	}

	private RetentionPolicy policy() {
		if (this.keep == null && this.olderThan == null) {
			throw new UsageException("Say what to keep: --keep N (the newest N complete backups) and/or --older-than"
					+ " DURATION (e.g. 30d); add --dry-run to see what would go.");
		}
		if (this.keep != null && this.keep < 1) {
			throw new UsageException("--keep " + this.keep + ": keep at least 1 (the newest complete backup always stays).");
		}
		return new RetentionPolicy(this.keep, (this.olderThan != null) ? age() : null);
	}

	private Duration age() {
		Duration age;
		try {
			age = DurationStyle.detectAndParse(this.olderThan);
		}
		catch (IllegalArgumentException ex) {
			throw new UsageException("--older-than " + this.olderThan + " is not a duration; use for example 30d or 12h.");
		}
		if (age.isNegative()) {
			throw new UsageException("--older-than " + this.olderThan + " is negative; use for example 30d or 12h.");
		}
		return age;
	}

}
