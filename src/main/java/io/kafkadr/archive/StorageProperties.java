package io.kafkadr.archive;

import java.nio.file.Path;

import io.kafkadr.encryption.KeyRing;
import io.kafkadr.storage.LocalObjectStore;
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

	/** The location, its backups encrypted and decrypted with {@code keys}. */
	public BackupStorage storage(KeyRing keys) {
		if (isObjectStore(this.location)) {
			throw new StorageException("S3 storage locations are not supported by this build yet.");
		}
		return new BackupStorage(new LocalObjectStore(Path.of(this.location)), keys);
	}

}
