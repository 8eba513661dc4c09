package io.kafkadr.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Which server certificates one of kafka-dr's HTTPS clients (the schema registry's, Kafka
 * Connect's) trusts: those of the trust store its {@code <prefix>.trust-store*} settings name, or
 * the JVM's default CAs when none is set. A server it does not trust is a configuration error, so
 * {@link #describeFailure} names the setting to fix rather than blaming the network.
 */
public final class HttpsTrust {

	private final String prefix;

	private final String trustStore;

	private final SSLContext context;

	private HttpsTrust(String prefix, String trustStore, SSLContext context) {
		this.prefix = prefix;
		this.trustStore = trustStore;
		this.context = context;
	}

	/**
	 * Loads the trust store, if one is set.
	 * @param prefix the settings' prefix, for messages, e.g. {@code kafka-dr.registry}
	 * @param trustStore the trust store's file, or {@code null} for the JVM's default CAs
	 * @param password its password, or {@code null} for none
	 * @param type its type ({@code PKCS12}, {@code JKS}), or {@code null} for the JVM's default type
	 * @throws IllegalArgumentException when the file is missing or unreadable, or the password is wrong
	 */
	public static HttpsTrust load(String prefix, String trustStore, String password, String type) {
		if (trustStore == null) {
			return new HttpsTrust(prefix, null, null);
		}
		String storeType = (type != null) ? type : KeyStore.getDefaultType();
		try (InputStream in = Files.newInputStream(Path.of(trustStore))) {
			KeyStore store = KeyStore.getInstance(storeType);
			store.load(in, (password != null) ? password.toCharArray() : null);
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(store);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return new HttpsTrust(prefix, trustStore, context);
		}
		catch (NoSuchFileException ex) {
			throw new IllegalArgumentException(prefix + ".trust-store names " + trustStore + ", which does not exist.", ex);
		}
		catch (IOException | GeneralSecurityException ex) {
			// The JDK's message says "keystore password was incorrect" for a wrong password; it never holds the password.
			throw new IllegalArgumentException("Cannot read the " + storeType + " trust store " + trustStore + " ("
					+ ex.getMessage() + "); check " + prefix + ".trust-store, " + prefix + ".trust-store-password and "
					+ prefix + ".trust-store-type.", ex);
		}
	}

	/** The client builder, set to trust what this trust store trusts. */
	public HttpClient.Builder configure(HttpClient.Builder builder) {
		return (this.context != null) ? builder.sslContext(this.context) : builder;
	}

	/** Whether a request failed because the TLS handshake failed: retrying will not help. */
	public static boolean isHandshakeFailure(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SSLHandshakeException || cause instanceof CertificateException) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Why the handshake with {@code server} (e.g. "The schema registry at https://…") failed, naming
	 * the settings that decide which certificates are trusted.
	 */
	public String describeFailure(String server, Throwable failure) {
		String cause = (failure.getMessage() != null) ? failure.getMessage() : failure.getClass().getSimpleName();
		String trusted = (this.trustStore != null) ? "the trust store " + this.trustStore + " (" + this.prefix
				+ ".trust-store)" : "the JVM's default CAs (no " + this.prefix + ".trust-store is set)";
		return server + " failed the TLS handshake: its certificate is not trusted by " + trusted + " or does not name"
				+ " the host (" + cause + "). Set " + this.prefix + ".trust-store (with " + this.prefix
				+ ".trust-store-password and, unless it is PKCS12, " + this.prefix + ".trust-store-type) to a trust store"
				+ " holding the CA certificate that signed the server's certificate.";
	}

}
