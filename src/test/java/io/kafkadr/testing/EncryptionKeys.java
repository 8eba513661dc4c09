package io.kafkadr.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Fresh encryption keys and key files ({@code kafka-dr.encryption.key-file}), for the tests. */
public final class EncryptionKeys {

	private static final SecureRandom RANDOM = new SecureRandom();

	private EncryptionKeys() {
	}

	/** A fresh 256-bit key in base64, as a key file holds it. */
	public static String newKey() {
		byte[] key = new byte[32];
		RANDOM.nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

	/** Writes a key file of these lines, owner-only as it should be. */
	public static Path write(Path file, String... lines) {
		try {
			Files.writeString(file, String.join("\n", lines) + "\n");
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
