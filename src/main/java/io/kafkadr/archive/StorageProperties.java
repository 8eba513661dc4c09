package io.kafkadr.archive;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Where backups are kept ({@code kafka-dr.storage.*}). */
@ConfigurationProperties("kafka-dr.storage")
public record StorageProperties(@DefaultValue("backups") Path location) {

	public BackupStorage storage() {
		return new BackupStorage(this.location);
	}

}
