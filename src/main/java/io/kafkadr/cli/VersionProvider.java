package io.kafkadr.cli;

import picocli.CommandLine;

/** The version from the jar manifest. */
class VersionProvider implements CommandLine.IVersionProvider {

	@Override
	public String[] getVersion() {
		String version = VersionProvider.class.getPackage().getImplementationVersion();
		return new String[] { "kafka-dr " + ((version != null) ? version : "development build") };
	}

}
