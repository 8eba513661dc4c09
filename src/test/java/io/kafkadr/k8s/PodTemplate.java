package io.kafkadr.k8s;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The pod template of a CronJob, Job or Deployment, in the rendering it came from. */
record PodTemplate(Rendering rendering, String owner, Map<String, Object> spec) {

	private static final String PLAN_ARGUMENT = "--spring.config.additional-location=";

	/** The name of the CronJob, Job or Deployment. */
	String ownerName() {
		return this.owner.substring(this.owner.indexOf(' ') + 1);
	}

	/** Whether it runs {@code kafka-dr worker}, which serves the partitions of remote managers. */
	boolean isWorker() {
		return containers().stream().anyMatch((container) -> "worker".equals(container.kafkaDrCommand()));
	}

	List<Container> containers() {
		return Documents.<Map<String, Object>>list(this.spec, "containers").stream().map(Container::new).toList();
	}

	Map<String, Object> volume(String name) {
		return Documents.<Map<String, Object>>list(this.spec, "volumes")
			.stream()
			.filter((volume) -> name.equals(volume.get("name")))
			.findFirst()
			.orElse(Map.of());
	}

	/** The volume whose mount holds {@code path} (the deepest such mount), with the path inside it. */
	Optional<Mounted> volumeAt(Container container, String path) {
		return mountAt(container, path).map((mount) -> new Mounted(volume((String) mount.get("name")),
				path.substring(((String) mount.get("mountPath")).length()).replaceFirst("^/", "")));
	}

	/** The container's volume mount that holds {@code path}: the deepest such mount. */
	Optional<Map<String, Object>> mountAt(Container container, String path) {
		return container.mounts()
			.stream()
			.filter((mount) -> path.equals(mount.get("mountPath")) || path.startsWith(mount.get("mountPath") + "/"))
			.max(Comparator.comparingInt((mount) -> ((String) mount.get("mountPath")).length()));
	}

	/** The names of the PersistentVolumeClaims the pod's volumes use. */
	List<String> claims() {
		return Documents.<Map<String, Object>>list(this.spec, "volumes")
			.stream()
			.map((volume) -> Documents.<String>get(volume, "persistentVolumeClaim", "claimName"))
			.filter((claim) -> claim != null)
			.toList();
	}

	/** Where the container's plan is: the value of its {@code --spring.config.additional-location}. */
	Optional<String> planLocation(Container container) {
		return container.args()
			.stream()
			.filter((arg) -> arg.startsWith(PLAN_ARGUMENT))
			.map((arg) -> arg.substring(PLAN_ARGUMENT.length()))
			.findFirst();
	}

	/** The plan the container reads, when its ConfigMap is part of this rendering. */
	Optional<String> plan(Container container) {
		return planLocation(container).flatMap((location) -> volumeAt(container, location)).flatMap((mounted) -> {
			String configMap = Documents.get(mounted.volume(), "configMap", "name");
			return (configMap != null) ? this.rendering.find("ConfigMap", configMap)
				.map((object) -> Documents.<String>get(object, "data", mounted.path())) : Optional.empty();
		});
	}

	@Override
	public String toString() {
		return this.owner + " in " + this.rendering;
	}

	/** A volume, and a path inside it. */
	record Mounted(Map<String, Object> volume, String path) {
	}

}
