package io.kafkadr.http;

import java.time.Duration;

/**
 * The settings of an HTTP API kafka-dr calls, named {@code <prefix>.url}, {@code .basic-auth-user-info},
 * {@code .request-timeout} and {@code .trust-store*} under its prefix.
 */
public interface HttpSettings {

	String url();

	/** {@code user:password} for HTTP basic auth, or {@code null} for none. */
	String basicAuthUserInfo();

	Duration requestTimeout();

	/** The trust store's file, or {@code null} to trust the JVM's default CAs. */
	String trustStore();

	String trustStorePassword();

	String trustStoreType();

}
