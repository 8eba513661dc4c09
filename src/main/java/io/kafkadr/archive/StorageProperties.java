package io.kafkadr.archive;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import io.kafkadr.encryption.KeyRing;
import io.kafkadr.storage.LocalObjectStore;
import io.kafkadr.storage.S3Location;
import io.kafkadr.storage.S3ObjectStore;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where backups are kept ({@code kafka-dr.storage.*}): a local directory, or {@code s3://BUCKET/PREFIX}
 * on AWS S3 or any S3-compatible server ({@code s3.*}). Credentials for S3 come only from the AWS
 * SDK's default chain, never from these settings.
 */
@ConfigurationProperties("kafka-dr.storage")
public record StorageProperties(@DefaultValue("backups") String location, @DefaultValue S3 s3) {

	/**
	 * An S3 location's server: {@code endpoint} for an S3-compatible one (MinIO, Ceph, GCS's
	 * interoperability API), none for AWS; {@code region} when the SDK's default region chain has
	 * none; {@code path-style-access} for servers that do not take the bucket in the host name; the
	 * size of the parts segments are uploaded in (at least 5MB, S3's smallest); and {@code lock-lease},
	 * how long a run's lock on the location holds without being renewed (renewed every third of it),
	 * which is how long a killed run can keep the next one waiting.
	 */
	public record S3(URI endpoint, String region, boolean pathStyleAccess, @DefaultValue("8MB") DataSize partSize,
			@DefaultValue("30s") Duration lockLease) {

	}

	/** The location, its backups encrypted and decrypted with {@code keys}. */
	public BackupStorage storage(KeyRing keys) {
		if (S3Location.isS3(this.location)) {
			return new BackupStorage(new S3ObjectStore(S3Location.parse(this.location), this.s3.endpoint(),
					this.s3.region(), this.s3.pathStyleAccess(), Math.toIntExact(this.s3.partSize().toBytes()), this.s3.lockLease()), keys);
		}
		return new BackupStorage(new LocalObjectStore(Path.of(this.location)), keys);
	}

}
