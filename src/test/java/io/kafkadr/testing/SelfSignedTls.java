package io.kafkadr.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.kafkadr.sandbox.SandboxTls;

/**
 * A self-signed certificate for {@code localhost} (and 127.0.0.1) made with the JDK's own
 * {@code keytool}, as an operator would make one: the server's key store, and a trust store that
 * holds only that certificate.
 */
public final class SelfSignedTls {

	private SelfSignedTls() {
	}

	/** Creates {@code server.p12}, {@code server.pem} and {@code trust.p12} in {@code directory}. */
	public static SandboxTls create(Path directory, String password) {
		Path keyStore = directory.resolve("server.p12");
		Path certificate = directory.resolve("server.pem");
		Path trustStore = directory.resolve("trust.p12");
		keytool("-genkeypair", "-alias", "localhost", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
				"-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keyStore.toString(),
				"-storetype", SandboxTls.TYPE, "-storepass", password, "-keypass", password);
		keytool("-exportcert", "-rfc", "-alias", "localhost", "-keystore", keyStore.toString(), "-storepass", password,
				"-file", certificate.toString());
		keytool("-importcert", "-noprompt", "-alias", "localhost", "-file", certificate.toString(), "-keystore",
				trustStore.toString(), "-storetype", SandboxTls.TYPE, "-storepass", password);
		return new SandboxTls(keyStore, trustStore, password);
	}

	private static void keytool(String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running keytool", ex);
		}
	}

}
