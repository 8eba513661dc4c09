package io.kafkadr.cli;

import java.util.concurrent.Callable;

import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.BackupVerifier;
import io.kafkadr.encryption.KeyRing;
import org.springframework.beans.factory.annotation.Autowired;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code verify}: checks a backup offline and names the first bad file and line. */
@Command(name = "verify", mixinStandardHelpOptions = true,
		description = { "Check a backup without touching any cluster: every checksum, every record decoded and re-encoded,",
				"counts and content digests against the manifest." })
class VerifyCommand implements Callable<Integer> {

	@Mixin
	SettingOptions settings;

	@Option(names = "--backup-id", required = true, paramLabel = "ID",
			description = "The backup to verify; `latest` for the newest complete backup.")
	String backupId;

	@Option(names = "--json", description = "Print JSON for scripts.")
	boolean json;

	@Spec
	CommandSpec spec;

	@Autowired
	BackupStorage storage;

	@Override
	public Integer call() {
		BackupVerifier.Report report = new BackupVerifier().verify(this.storage.existingBackup(this.backupId));
		Output output = new Output(this.spec.commandLine().getOut());
		if (this.json) {
			output.json(report);
		}
		else if (report.intact() && !report.missingKeys().isEmpty()) {
			output.line(String.format("backup %s: all %,d files match their SHA-256 in the manifest; its records were not"
					+ " decoded: they are encrypted with the key%s %s, which no key file given holds. Set %s to check"
					+ " them too", report.backupId(), report.files(), (report.missingKeys().size() > 1) ? "s" : "",
					String.join(", ", report.missingKeys()), KeyRing.SETTING));
		}
		else if (report.intact()) {
			output.line(String.format("backup %s is intact: %,d files checked, %,d records decoded, counts and digests"
					+ " match the manifest", report.backupId(), report.files(), report.records()));
			if (report.chain().size() > 1) {
				output.line("it is incremental: checked with every backup it continues, each link starting where its"
						+ " base ended: " + String.join(" <- ", report.chain()));
			}
		}
		else {
			output.line("backup " + report.backupId() + " is damaged:");
			report.problems().forEach(problem -> output.line("  " + problem));
		}
		return report.intact() ? ExitCodes.OK : ExitCodes.FAILED;
	}

}
