package io.kafkadr.k8s;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.fail;

/**
 * Renders kustomizations with the real {@code kubectl kustomize}, offline, and without extra flags,
 * as {@code kubectl apply -k}, Argo CD and Flux render them.
 */
final class Kustomize {

	private static final String INSTALL = "KubernetesManifestsTest renders k8s/ with `kubectl kustomize`, which needs"
			+ " kubectl 1.27 or newer (kustomize v5) on the PATH: install it from Kubernetes' own packages or release"
			+ " binaries (https://kubernetes.io/docs/tasks/tools/). Debian's kubernetes-client package is too old: its"
			+ " kubectl 1.20 embeds kustomize v2, which knows neither components nor labels.";

	private static final Pattern KUSTOMIZE_VERSION = Pattern.compile("Kustomize Version: v(\\d+)\\.");

	private final Path kubectl;

	private Kustomize(Path kubectl) {
		this.kubectl = kubectl;
	}

	/** The kubectl on the PATH; fails the test, saying how to install one, when there is none or it is too old. */
	static Kustomize onPath() {
		Path kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
			.filter((directory) -> !directory.isEmpty())
			.map((directory) -> Path.of(directory, "kubectl"))
			.filter(Files::isExecutable)
			.findFirst()
			.orElse(null);
		if (kubectl == null) {
			fail("kubectl is not on the PATH. " + INSTALL);
		}
		Kustomize kustomize = new Kustomize(kubectl);
		String version = kustomize.run(List.of("version", "--client"));
		Matcher major = KUSTOMIZE_VERSION.matcher(version);
		if (!major.find() || Integer.parseInt(major.group(1)) < 5) {
			fail(kubectl + " is too old (`kubectl version --client` says: " + version.strip() + "). " + INSTALL);
		}
		return kustomize;
	}

	/** Every directory under {@code root} with a kustomization that renders on its own (not a Component). */
	static List<Path> kustomizations(Path root) {
		try (Stream<Path> files = Files.walk(root)) {
			return files.filter((file) -> file.getFileName().toString().equals("kustomization.yaml"))
				.filter((file) -> !Documents.read(file).get(0).get("kind").equals("Component"))
				.map(Path::getParent)
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Rendering render(Path directory) {
		List<String> args = new ArrayList<>(List.of("kustomize"));
		args.add(directory.toString());
		return new Rendering(directory, Documents.parse(run(args)));
	}

	private String run(List<String> args) {
		List<String> command = new ArrayList<>(List.of(this.kubectl.toString()));
		command.addAll(args);
		try {
			Path errors = Files.createTempFile("kubectl-", ".err");
			try {
				Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
				String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
				if (!process.waitFor(60, TimeUnit.SECONDS)) {
					process.destroyForcibly();
					fail(String.join(" ", command) + " did not finish within 60 seconds");
				}
				if (process.exitValue() != 0) {
					fail(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + Files.readString(errors));
				}
				return out;
			}
			finally {
				Files.delete(errors);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
