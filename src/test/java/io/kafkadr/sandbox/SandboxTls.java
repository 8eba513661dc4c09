package io.kafkadr.sandbox;

import java.nio.file.Path;

/**
 * The TLS identity a sandbox server presents: a PKCS12 key store with its certificate for
 * {@code localhost} and a PKCS12 trust store that trusts it, both protected by one password.
 *
 * @param keyStore the server's key store
 * @param trustStore a trust store holding the server's certificate, for its clients
 * @param password the password of both stores (and of the key)
 */
public record SandboxTls(Path keyStore, Path trustStore, String password) {

	/** The store type of both files. */
	public static final String TYPE = "PKCS12";

	@Override
	public String toString() {
		return "SandboxTls[keyStore=" + this.keyStore + ", trustStore=" + this.trustStore + ", password=****]";
	}

}
