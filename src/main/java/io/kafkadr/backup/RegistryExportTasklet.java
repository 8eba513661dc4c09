package io.kafkadr.backup;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.RegistryContents;
import io.kafkadr.registry.ApicurioRegistry;
import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryExporter;
import io.kafkadr.registry.RegistrySnapshot;
import io.kafkadr.registry.SubjectVersion;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code schemas} step: exports every subject and version of the registry, with compatibility
 * levels and modes, storing each schema text once in the backup's schema store. From an Apicurio
 * registry it also keeps each version's global and content ids and the registry's own export.
 */
public class RegistryExportTasklet implements Tasklet {

	private final RegistryClient registry;

	private final SchemaCatalog catalog;

	private final BackupDirectory backup;

	public RegistryExportTasklet(RegistryClient registry, SchemaCatalog catalog, BackupDirectory backup) {
		this.registry = registry;
		this.catalog = catalog;
		this.backup = backup;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		if (this.registry == null) {
			this.backup.write(BackupDirectory.REGISTRY, RegistryContents.none());
			return RepeatStatus.FINISHED;
		}
		RegistrySnapshot snapshot = new RegistryExporter(this.registry).export();
		Optional<ApicurioRegistry> apicurio = this.registry.apicurio();
		Map<String, ApicurioRegistry.ArtifactVersion> apicurioVersions = new HashMap<>();
		apicurio.ifPresent(registry -> {
			// Its own export is the only way a restore can give an Apicurio registry these schemas with their ids.
			this.backup.writeBytes(BackupDirectory.REGISTRY_EXPORT, registry.export());
			registry.versions()
				.stream()
				.filter(ApicurioRegistry.ArtifactVersion::isSubjectVersion)
				.forEach(version -> apicurioVersions.put(version.artifactId() + "/" + version.version(), version));
		});
		List<RegistryContents.Subject> subjects = new ArrayList<>();
		for (RegistrySnapshot.Subject subject : snapshot.subjects()) {
			List<RegistryContents.Version> versions = new ArrayList<>();
			for (RegistrySnapshot.Version version : subject.versions()) {
				String fingerprint = this.catalog.store(new SubjectVersion(subject.name(), version.version(), version.id(),
						version.schemaType(), version.schema(), version.references()));
				versions.add(new RegistryContents.Version(version.version(), version.id(), version.schemaType(), fingerprint,
						version.references()
							.stream()
							.map(r -> new RegistryContents.Reference(r.name(), r.subject(), r.version()))
							.toList(),
						version.deleted(), apicurioIds(apicurioVersions, subject.name(), version.version(),
								ApicurioRegistry.ArtifactVersion::globalId),
						apicurioIds(apicurioVersions, subject.name(), version.version(),
								ApicurioRegistry.ArtifactVersion::contentId)));
				contribution.incrementWriteCount(1);
			}
			subjects.add(new RegistryContents.Subject(subject.name(), subject.deleted(), subject.compatibility(),
					subject.mode(), versions, subject.unreadableVersions()));
		}
		this.backup.write(BackupDirectory.REGISTRY, new RegistryContents(this.registry.url(), Instant.now(),
				snapshot.compatibility(), snapshot.mode(), subjects));
		return RepeatStatus.FINISHED;
	}

	private static Long apicurioIds(Map<String, ApicurioRegistry.ArtifactVersion> versions, String subject, int version,
			ToLongFunction<ApicurioRegistry.ArtifactVersion> id) {
		ApicurioRegistry.ArtifactVersion found = versions.get(subject + "/" + version);
		return (found != null) ? id.applyAsLong(found) : null;
	}

}
