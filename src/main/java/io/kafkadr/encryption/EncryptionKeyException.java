package io.kafkadr.encryption;

/**
 * An encrypted file whose key the key file does not hold, or holds under its id with other key
 * material. A matter of configuration, not of a damaged file: the message names the key id and the
 * key file, and says how to put the key back.
 */
public class EncryptionKeyException extends RuntimeException {

	private final String keyId;

	public EncryptionKeyException(String keyId, String message) {
		super(message);
		this.keyId = keyId;
	}

	/** The id of the key the file needs. */
	public String keyId() {
		return this.keyId;
	}

}
