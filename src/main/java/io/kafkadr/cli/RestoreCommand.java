package io.kafkadr.cli;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import io.kafkadr.history.ExecutionSummary;
import io.kafkadr.progress.LiveDisplay;
import io.kafkadr.restore.RestoreJobConfiguration;
import io.kafkadr.restore.RestoreLauncher;
import io.kafkadr.restore.RestoreOptions;
import io.kafkadr.restore.RestorePreview;
import io.kafkadr.restore.RestoreState;
import io.kafkadr.restore.ValidationReport;
import io.kafkadr.restore.ValidationTasklet;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code restore}: restores a backup into the configured cluster and registry, and validates it. */
@Command(name = "restore", mixinStandardHelpOptions = true,
		description = { "Restore a backup: schemas, topics, consumer-group offsets; then validate the result.",
				"Run it again after a failure or a kill and it continues at the step that failed." },
		footerHeading = "%nMain settings (--name=value, a --plan file, or environment variables; README lists all):%n",
		footer = { "  spring.kafka.bootstrap-servers   the target cluster (--bootstrap-server); security: spring.kafka.*",
				"  kafka-dr.registry.url            the target Schema Registry (--registry-url)",
				"  kafka-dr.storage.location        where the backups are (--storage)",
				"  kafka-dr.connect.url             Kafka Connect's REST API, for the validation to wait for it" })
class RestoreCommand implements Callable<Integer> {

	@Mixin
	SettingOptions settings;

	@Option(names = "--backup-id", required = true, paramLabel = "ID",
			description = "The backup to restore; `latest` for the newest complete backup.")
	String backupId;

	@Option(names = "--topics", paramLabel = "REGEX", description = "Restore only the backed-up topics this matches.")
	String topics;

	@Option(names = "--rename", paramLabel = "SOURCE=TARGET",
			description = "Restore a topic under another name, e.g. for a drill beside live data. Repeatable.")
	Map<String, String> renames = new LinkedHashMap<>();

	@Option(names = "--until", paramLabel = "TIME",
			description = "Point in time: only records with a timestamp at or before it (ISO-8601, e.g."
					+ " 2026-11-25T10:00:00Z, or epoch milliseconds).")
	String until;

	@Option(names = "--dry-run", description = "Check everything and print the plan; write nothing.")
	boolean dryRun;

	@Option(names = "--into-existing-topics",
			description = "Append to target topics that already hold records (refused otherwise).")
	boolean intoExistingTopics;

	@Option(names = "--retention", defaultValue = "keep", paramLabel = "keep|suspend",
			description = "Records older than their topic's retention: keep the retention (the broker deletes them after"
					+ " the restore) or suspend it until the restore is validated. Default: ${DEFAULT-VALUE}.")
	RestoreOptions.Retention retention;

	@Option(names = "--registry-mode", defaultValue = "api", paramLabel = "api|topic",
			description = "api: register every schema version through the registry under its original id (an Apicurio"
					+ " registry imports the source's export); topic: write the _schemas topic for a Confluent registry"
					+ " that reads it. Default: ${DEFAULT-VALUE}.")
	RestoreOptions.RegistryMode registryMode;

	@Option(names = "--allow-new-schema-ids",
			description = "Accept a target registry that cannot give the schemas their original ids: records are"
					+ " re-encoded with new ids, so their keys change bytes and may hash to other partitions than"
					+ " their history (the validation counts them). Refused without it.")
	boolean allowNewSchemaIds;

	@Option(names = "--skip-damaged",
			description = "Restore every partition whose segments are intact and leave out the damaged ones, listed"
					+ " in the validation report. Without it a damaged backup is refused and nothing is written.")
	boolean skipDamaged;

	@Option(names = "--json", description = "Print JSON for scripts.")
	boolean json;

	@Spec
	CommandSpec spec;

	@Autowired
	LiveDisplay display;

	@Autowired
	RestoreLauncher launcher;

	@Autowired
	RestoreState state;

	@Override
	public Integer call() {
		RestoreOptions options = new RestoreOptions(this.topics, this.renames, until(), this.intoExistingTopics,
				this.retention, this.registryMode, this.allowNewSchemaIds, this.skipDamaged);
		Output output = new Output(this.spec.commandLine().getOut());
		if (this.dryRun) {
			RestorePreview preview = this.launcher.preview(this.backupId, options);
			if (this.json) {
				output.json(preview);
			}
			else {
				preview(output, preview);
				output.line("Dry run: nothing was written.");
			}
			return ExitCodes.OK;
		}
		if (this.json) {
			this.display.forScripts();
		}
		RestoreLauncher.Outcome outcome = this.launcher.run(this.backupId, options);
		JobExecution execution = outcome.execution();
		ValidationReport report = report(execution);
		if (this.json) {
			output.json(Map.of("execution", ExecutionSummary.of(execution), "validation",
					(report != null) ? report : Map.of()));
		}
		else {
			if (outcome.preview() != null) {
				preview(output, outcome.preview());
			}
			output.summary(ExecutionSummary.of(execution));
			if (report != null) {
				validation(output, report);
			}
		}
		if (execution.getStatus() == BatchStatus.STOPPED) {
			output.stopped(this.json, this.spec.commandLine().getErr(), "The restore of " + this.backupId + " stopped at a"
					+ " chunk boundary because kafka-dr was asked to end. Run the same command to continue it; nothing is"
					+ " written twice.");
		}
		return (execution.getStatus() == BatchStatus.COMPLETED) ? ExitCodes.OK : ExitCodes.FAILED;
	}

	private Instant until() {
		if (this.until == null) {
			return null;
		}
		try {
			return Instant.ofEpochMilli(Long.parseLong(this.until));
		}
		catch (NumberFormatException ex) {
			try {
				return Instant.parse(this.until);
			}
			catch (DateTimeParseException notIso) {
				throw new UsageException("--until " + this.until + " is neither an ISO-8601 instant (2026-11-25T10:00:00Z)"
						+ " nor epoch milliseconds.");
			}
		}
	}

	/** The report of this execution's validation step, or null when it did not get that far. */
	private ValidationReport report(JobExecution execution) {
		boolean validated = execution.getStepExecutions()
			.stream()
			.anyMatch(step -> step.getExecutionContext().containsKey(ValidationTasklet.REPORT));
		return validated ? this.state.readReport(execution.getJobParameters().getString(RestoreJobConfiguration.BACKUP_ID),
				execution.getJobParameters().getString(RestoreJobConfiguration.TARGET)) : null;
	}

	static void preview(Output output, RestorePreview preview) {
		output.line("Restore plan: backup " + preview.backupId() + " into cluster " + preview.targetCluster()
				+ ((preview.until() != null) ? ", records until " + preview.until() : ""));
		output.line(String.format("  %-34s %-34s %-5s %5s %12s", "TOPIC", "TARGET", "KIND", "PARTS", "RECORDS"));
		for (RestorePreview.Topic topic : preview.topics()) {
			output.line(String.format("  %-34s %-34s %-5s %5d %,12d%s", topic.source(), topic.target(), topic.kind(),
					topic.partitions(), topic.records(), topic.targetExists() ? "  (target exists)" : ""));
		}
		output.line(String.format("  schemas: %d subjects, %d versions (registry mode %s); consumer groups: %d",
				preview.subjects(), preview.schemaVersions(), preview.registryMode(), preview.consumerGroups()));
		preview.warnings().forEach(warning -> output.line("  warning: " + warning));
	}

	static void validation(Output output, ValidationReport report) {
		long records = report.partitions().stream().mapToLong(ValidationReport.PartitionCheck::actualRecords).sum();
		long partitionsPassed = report.partitions().stream().filter(ValidationReport.PartitionCheck::passed).count();
		long offsetsPassed = report.consumerGroups().stream().filter(ValidationReport.GroupOffsetCheck::passed).count();
		output.line("Validation " + (report.passed() ? "PASSED" : "FAILED") + " (report: "
				+ ValidationReport.path(report.targetCluster()) + " in the backup)");
		output.line(String.format("  partitions: %d/%d match the backup (%,d records%s)", partitionsPassed,
				report.partitions().size(), records,
				(partitionsPassed == report.partitions().size()) ? ", content digests equal" : "; see the problems below"));
		output.line(String.format("  consumer-group offsets: %d/%d translated and committed", offsetsPassed,
				report.consumerGroups().size()));
		output.line(String.format("  schemas: %d/%d resolve in the target registry, %s",
				report.schemas().checked() - report.schemas().unresolved().size(), report.schemas().checked(),
				report.schemaIdsKept() ? "under their original ids (records byte for byte)"
						: "under new ids (--allow-new-schema-ids)"));
		output.line("  kafka connect: " + (!report.connect().checked() ? "not checked (kafka-dr.connect.url not set)"
				: report.connect().healthy() ? "every connector and task RUNNING" : report.connect().problem()));
		report.warnings().forEach(warning -> output.line("  warning: " + warning));
		report.problems().forEach(problem -> output.line("  problem: " + problem));
	}

}
