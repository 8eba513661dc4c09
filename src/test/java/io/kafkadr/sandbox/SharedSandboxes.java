package io.kafkadr.sandbox;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the broker and the registry that test classes share ({@link KafkaSandbox#shared},
 * {@link RegistrySandbox#shared}) once the last test class has run, while the JVM is still whole:
 * a shutdown hook would stop a broker whose logging and threads are already going away.
 */
public final class SharedSandboxes implements LauncherSessionListener {

	@Override
	public void launcherSessionClosed(LauncherSession session) {
		try {
			RegistrySandbox.closeShared();
		}
		finally {
			KafkaSandbox.closeShared();
		}
	}

}
