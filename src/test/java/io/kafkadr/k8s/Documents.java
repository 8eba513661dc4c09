package io.kafkadr.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** YAML documents as plain maps and lists, and null-safe access to their fields. */
final class Documents {

	private Documents() {
	}

	static List<Map<String, Object>> read(Path file) {
		try {
			return parse(Files.readString(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> parse(String text) {
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text)) {
			if (document != null) {
				documents.add((Map<String, Object>) document);
			}
		}
		return documents;
	}

	/** The value at {@code path} below {@code node}, or null where any part of it is missing. */
	@SuppressWarnings("unchecked")
	static <T> T get(Object node, String... path) {
		Object value = node;
		for (String key : path) {
			if (!(value instanceof Map<?, ?> map)) {
				return null;
			}
			value = map.get(key);
		}
		return (T) value;
	}

	static Map<String, Object> map(Object node, String... path) {
		Map<String, Object> map = get(node, path);
		return (map != null) ? map : Map.of();
	}

	static <T> List<T> list(Object node, String... path) {
		List<T> list = get(node, path);
		return (list != null) ? list : List.of();
	}

}
