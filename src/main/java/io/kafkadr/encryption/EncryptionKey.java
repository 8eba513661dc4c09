package io.kafkadr.encryption;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One 256-bit AES key of a key file and its id. Its material never leaves the package, and
 * {@link #toString()} shows only the id, so that no message or log can carry it.
 */
public final class EncryptionKey {

	/** AES-256. */
	static final int BYTES = 32;

	/** The length of the key check in a file header. */
	static final int CHECK_BYTES = 16;

	private static final byte[] CHECK_LABEL = "kafka-dr key check".getBytes(StandardCharsets.US_ASCII);

	private final String id;

	private final SecretKey secret;

	private final byte[] check;

	EncryptionKey(String id, byte[] material) {
		if (material.length != BYTES) {
			throw new IllegalArgumentException("An AES-256 key is " + BYTES + " bytes, not " + material.length);
		}
		this.id = id;
		this.secret = new SecretKeySpec(material, "AES");
		this.check = check(material);
	}

	/** The id that names the key in the key file and in the header of every file it encrypted. */
	public String id() {
		return this.id;
	}

	SecretKey secret() {
		return this.secret;
	}

	/**
	 * The key check a header carries: the first 16 bytes of HMAC-SHA256(key, "kafka-dr key check").
	 * It tells a key replaced under the same id from a damaged block, which AES-GCM alone cannot (any
	 * key fails the same way), and it reveals nothing of the key: HMAC is a pseudo-random function.
	 * It is not AES of a fixed block: AES of the zero block is GCM's hash key, whose disclosure
	 * would let anyone forge blocks.
	 */
	byte[] check() {
		return this.check.clone();
	}

	boolean matches(byte[] check) {
		return MessageDigest.isEqual(this.check, check);
	}

	private static byte[] check(byte[] material) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(material, "HmacSHA256"));
			return Arrays.copyOf(mac.doFinal(CHECK_LABEL), CHECK_BYTES);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Every JDK has HmacSHA256", ex);
		}
	}

	@Override
	public String toString() {
		return "encryption key " + this.id;
	}

}
