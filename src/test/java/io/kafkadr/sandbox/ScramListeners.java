package io.kafkadr.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;

/**
 * The SCRAM-SHA-512 listeners of a secured {@link KafkaSandbox}, on ports chosen up front so that a
 * restarted broker keeps them: {@value KafkaSandbox#SCRAM_LISTENER} (SASL_PLAINTEXT) and, with a TLS
 * identity, {@value KafkaSandbox#SCRAM_TLS_LISTENER} (SASL_SSL). The test kit's plaintext listener
 * ({@code EXTERNAL}) and controller listener stay as they are. With authorization on, the broker's
 * {@code StandardAuthorizer} lets the plaintext listener's anonymous user do anything and SCRAM
 * users only what ACLs allow.
 */
final class ScramListeners {

	private static final Duration USER_TIMEOUT = Duration.ofSeconds(30);

	private final Map<String, Integer> ports = new LinkedHashMap<>();

	private final SandboxTls tls;

	private final boolean authorize;

	ScramListeners(SandboxTls tls, boolean authorize) {
		this.tls = tls;
		this.authorize = authorize;
		this.ports.put(KafkaSandbox.SCRAM_LISTENER, freePort());
		if (tls != null) {
			this.ports.put(KafkaSandbox.SCRAM_TLS_LISTENER, freePort());
		}
	}

	/** The listener names and their ports. */
	Map<String, Integer> ports() {
		return Map.copyOf(this.ports);
	}

	/** The broker settings that open these listeners besides the test kit's own. */
	Map<String, String> brokerSettings() {
		Map<String, String> settings = new HashMap<>();
		StringBuilder listeners = new StringBuilder("EXTERNAL://localhost:0,CONTROLLER://localhost:0");
		StringBuilder protocols = new StringBuilder("EXTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
		this.ports.forEach((listener, port) -> {
			String protocol = listener.equals(KafkaSandbox.SCRAM_LISTENER) ? "SASL_PLAINTEXT" : "SASL_SSL";
			listeners.append(',').append(listener).append("://localhost:").append(port);
			protocols.append(',').append(listener).append(':').append(protocol);
			String prefix = prefix(listener);
			settings.put(prefix + "sasl.enabled.mechanisms", KafkaSandbox.SCRAM_MECHANISM);
			// The server side of SCRAM needs no login of its own: it checks clients against the cluster's credentials.
			settings.put(prefix + KafkaSandbox.SCRAM_MECHANISM.toLowerCase() + ".sasl.jaas.config",
					"org.apache.kafka.common.security.scram.ScramLoginModule required;");
		});
		if (this.tls != null) {
			String prefix = prefix(KafkaSandbox.SCRAM_TLS_LISTENER);
			settings.put(prefix + SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, this.tls.keyStore().toString());
			settings.put(prefix + SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, this.tls.password());
			settings.put(prefix + SslConfigs.SSL_KEY_PASSWORD_CONFIG, this.tls.password());
			settings.put(prefix + SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, SandboxTls.TYPE);
		}
		settings.put("listeners", listeners.toString());
		settings.put("listener.security.protocol.map", protocols.toString());
		settings.put("sasl.enabled.mechanisms", KafkaSandbox.SCRAM_MECHANISM);
		if (this.authorize) {
			settings.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
			// The controller and the broker talk over the plaintext listeners as ANONYMOUS, and so do test seeders.
			settings.put("super.users", "User:ANONYMOUS");
			settings.put("allow.everyone.if.no.acl.found", "false");
		}
		return settings;
	}

	/**
	 * Creates (or updates) a user through the plaintext listener at {@code plaintextBootstrap}, then
	 * waits until the SASL_PLAINTEXT listener at {@code scramBootstrap} accepts its login.
	 */
	static void addUser(String plaintextBootstrap, String scramBootstrap, String user, String password) {
		try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, plaintextBootstrap))) {
			admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
					new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Could not create the SCRAM user " + user + ": " + ex.getCause().getMessage(),
					ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating the SCRAM user " + user, ex);
		}
		awaitLogin(scramBootstrap, user, password);
	}

	/** The controller stores the credential first; the broker's listeners accept it once its metadata has caught up. */
	private static void awaitLogin(String scramBootstrap, String user, String password) {
		Map<String, Object> client = new HashMap<>();
		client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, scramBootstrap);
		client.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
		client.put(SaslConfigs.SASL_MECHANISM, KafkaSandbox.SCRAM_MECHANISM);
		client.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required "
				+ "username=\"" + user + "\" password=\"" + password + "\";");
		long deadline = System.nanoTime() + USER_TIMEOUT.toNanos();
		try (Admin admin = Admin.create(client)) {
			while (true) {
				try {
					admin.describeCluster().clusterId().get(USER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
					return;
				}
				catch (ExecutionException ex) {
					if (!(ex.getCause() instanceof SaslAuthenticationException) || System.nanoTime() > deadline) {
						throw new IllegalStateException("The sandbox broker does not accept the SCRAM user " + user
								+ ": " + ex.getCause().getMessage(), ex);
					}
				}
				TimeUnit.MILLISECONDS.sleep(50);
			}
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("The sandbox broker did not accept the SCRAM user " + user + " within "
					+ USER_TIMEOUT, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the SCRAM user " + user, ex);
		}
	}

	private static String prefix(String listener) {
		return "listener.name." + listener.toLowerCase() + ".";
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
