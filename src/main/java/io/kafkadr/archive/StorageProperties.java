package io.kafkadr.archive;

import java.nio.file.Path;

import io.kafkadr.storage.StorageException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Where backups are kept ({@code kafka-dr.storage.*}). */
@ConfigurationProperties("kafka-dr.storage")
public record StorageProperties(@DefaultValue("backups") String location) {

	/** Whether a location names an object store ({@code s3://BUCKET/PREFIX}) rather than a local directory. */
	public static boolean isObjectStore(String location) {
		return location.startsWith("s3://");
	}

	public BackupStorage storage() {
		if (isObjectStore(this.location)) {
			throw new StorageException("S3 storage locations are not supported by this build yet.");
		}
		return new BackupStorage(Path.of(this.location));
	}

}
