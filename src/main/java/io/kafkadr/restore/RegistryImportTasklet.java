package io.kafkadr.restore;

import java.util.Optional;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.RegistryContents;
import io.kafkadr.archive.SchemaStore;
import io.kafkadr.registry.RegistryClient;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * The {@code schemas} step: brings the backup's schemas into the target registry under their
 * original ids ({@link SchemaImport}) and keeps, in its execution context, which target id each
 * writer schema has ({@link SchemaIdMapping}). In {@code topic} registry mode the registry reads
 * them from the {@code _schemas} topic, which {@link RegistryTopicWriter} restores here.
 */
public class RegistryImportTasklet implements Tasklet {

	private final RegistryClient target;

	private final BackupDirectory backup;

	private final RestoreOptions options;

	private final RegistryTopicWriter registryTopic;

	private final VerifiedPartitions verified;

	RegistryImportTasklet(RegistryClient target, BackupDirectory backup, RestoreOptions options,
			RegistryTopicWriter registryTopic, VerifiedPartitions verified) {
		this.target = target;
		this.verified = verified;
		this.backup = backup;
		this.options = options;
		this.registryTopic = registryTopic;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		RegistryContents contents = this.backup.read(BackupDirectory.REGISTRY, RegistryContents.class);
		SchemaStore schemas = new SchemaStore(this.backup);
		SchemaIdMapping ids;
		if (schemas.fingerprints().isEmpty() || (this.target == null
				&& this.options.registryMode() == RestoreOptions.RegistryMode.api)) {
			// no schemas, or no registry because the restore writes no Avro topic (the launcher checked)
			ids = SchemaIdMapping.none();
		}
		else if (this.options.registryMode() == RestoreOptions.RegistryMode.topic) {
			this.registryTopic.restore(chunkContext.getStepContext().getStepExecution());
			ids = SchemaIdMapping.kept(contents);
		}
		else {
			SchemaImport schemaImport = new SchemaImport(this.target, this.backup, this.options.allowNewSchemaIds());
			refuseRenumberingApicurioIds(schemaImport);
			ids = schemaImport.run();
		}
		chunkContext.getStepContext()
			.getStepExecution()
			.getExecutionContext()
			.putString(SchemaIdMapping.CONTEXT_KEY, ids.toJson());
		contribution.incrementWriteCount(ids.asMap().size());
		return RepeatStatus.FINISHED;
	}

	/** Before anything is registered: new ids cannot be given to records that carry Apicurio ids. */
	private void refuseRenumberingApicurioIds(SchemaImport schemaImport) {
		if (!this.options.allowNewSchemaIds()) {
			return;
		}
		long apicurioIds = this.verified.apicurioIds();
		if (apicurioIds > 0) {
			Optional<String> obstacle = schemaImport.obstacle();
			if (obstacle.isPresent()) {
				throw SchemaImport.cannotRenumber(obstacle.get(), apicurioIds);
			}
		}
	}

}
