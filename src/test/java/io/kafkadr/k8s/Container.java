package io.kafkadr.k8s;

import java.util.List;
import java.util.Map;

/** A container of a pod template. */
record Container(Map<String, Object> spec) {

	String name() {
		return Documents.get(this.spec, "name");
	}

	List<String> command() {
		return Documents.list(this.spec, "command");
	}

	List<String> args() {
		return Documents.list(this.spec, "args");
	}

	/** The kafka-dr command it runs: its first argument, as the image's entrypoint is kafka-dr. */
	String kafkaDrCommand() {
		List<String> args = args();
		return args.isEmpty() ? "" : args.get(0);
	}

	List<Map<String, Object>> env() {
		return Documents.list(this.spec, "env");
	}

	List<Map<String, Object>> mounts() {
		return Documents.list(this.spec, "volumeMounts");
	}

	/** The literal value of an environment variable, or null when it has none (valueFrom) or is not set. */
	String envValue(String name) {
		return env().stream()
			.filter((variable) -> name.equals(variable.get("name")))
			.findFirst()
			.map((variable) -> (String) variable.get("value"))
			.orElse(null);
	}

	@Override
	public String toString() {
		return "container " + name();
	}

}
