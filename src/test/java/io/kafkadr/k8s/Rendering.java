package io.kafkadr.k8s;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The objects one kustomization renders to. */
record Rendering(Path directory, List<Map<String, Object>> objects) {

	List<Map<String, Object>> ofKind(String kind) {
		return this.objects.stream().filter((object) -> kind.equals(object.get("kind"))).toList();
	}

	Optional<Map<String, Object>> find(String kind, String name) {
		return ofKind(kind).stream().filter((object) -> name.equals(Documents.get(object, "metadata", "name"))).findFirst();
	}

	/** The pod templates of every CronJob, Job and Deployment. */
	List<PodTemplate> pods() {
		List<PodTemplate> pods = new ArrayList<>();
		for (Map<String, Object> cronJob : ofKind("CronJob")) {
			pods.add(new PodTemplate(this, "CronJob " + name(cronJob),
					Documents.map(cronJob, "spec", "jobTemplate", "spec", "template", "spec")));
		}
		for (String kind : List.of("Job", "Deployment")) {
			for (Map<String, Object> owner : ofKind(kind)) {
				pods.add(new PodTemplate(this, kind + " " + name(owner), Documents.map(owner, "spec", "template", "spec")));
			}
		}
		return pods;
	}

	/** For {@code k8s/overlays/<pipeline>/...}, the pipeline, whose plan is {@code jobs/<pipeline>.yaml}. */
	Optional<String> pipeline() {
		for (int i = 0; i < this.directory.getNameCount() - 1; i++) {
			if (this.directory.getName(i).toString().equals("overlays")) {
				return Optional.of(this.directory.getName(i + 1).toString());
			}
		}
		return Optional.empty();
	}

	static String name(Map<String, Object> object) {
		return Documents.get(object, "metadata", "name");
	}

	@Override
	public String toString() {
		return this.directory.toString();
	}

}
