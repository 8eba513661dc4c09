package io.kafkadr.encryption;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Client-side encryption at rest ({@code kafka-dr.encryption.*}): {@code key-file} names a file of
 * {@code KEY_ID=BASE64} lines (docs/encryption-format.md); without it backups are written in the clear.
 */
@ConfigurationProperties("kafka-dr.encryption")
public record EncryptionProperties(Path keyFile) {

	/** The keys of the key file, or {@link KeyRing#NONE}. */
	public KeyRing keyRing() {
		return (this.keyFile != null) ? KeyRing.load(this.keyFile) : KeyRing.NONE;
	}

}
