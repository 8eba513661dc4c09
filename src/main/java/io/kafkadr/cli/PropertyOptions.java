package io.kafkadr.cli;

import java.util.List;

/** Command-line options that stand for Spring properties, turned into them before the context starts. */
interface PropertyOptions {

	/** The {@code --name=value} arguments these options stand for, refusing one that {@code given} already sets. */
	List<String> springArguments(List<String> given);

	/** Refuses an option given together with the property it stands for. */
	static void refuseBoth(List<String> given, String option, String property) {
		if (given.stream().anyMatch(argument -> argument.startsWith("--" + property + "="))) {
			throw new UsageException(option + " and --" + property + " name the same setting; give one of them.");
		}
	}

}
