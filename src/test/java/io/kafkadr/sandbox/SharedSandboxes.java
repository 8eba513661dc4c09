package io.kafkadr.sandbox;

import java.util.function.Supplier;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The broker and the registry that test classes share ({@link KafkaSandbox#shared},
 * {@link RegistrySandbox#shared}): each started by the first class that asks, and stopped once the
 * last test class has run, while the JVM is still whole (a shutdown hook would stop a broker whose
 * logging and threads are already going away).
 */
public final class SharedSandboxes implements LauncherSessionListener {

	static final Shared<KafkaSandbox> KAFKA = new Shared<>(KafkaSandbox::start);

	static final Shared<RegistrySandbox> REGISTRY = new Shared<>(RegistrySandbox::start);

	@Override
	public void launcherSessionClosed(LauncherSession session) {
		try {
			REGISTRY.close();
		}
		finally {
			KAFKA.close();
		}
	}

	/** One sandbox, started on first use. */
	static final class Shared<T extends AutoCloseable> {

		private final Supplier<T> start;

		private T started;

		Shared(Supplier<T> start) {
			this.start = start;
		}

		synchronized T get() {
			if (this.started == null) {
				this.started = this.start.get();
			}
			return this.started;
		}

		synchronized void close() {
			if (this.started != null) {
				try {
					this.started.close();
				}
				catch (Exception ex) {
					throw new IllegalStateException("Could not stop a shared sandbox", ex);
				}
				this.started = null;
			}
		}

	}

}
