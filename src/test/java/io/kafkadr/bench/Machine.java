package io.kafkadr.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The machine a benchmark ran on, as the table states it: figures mean nothing without it. */
record Machine(int cores, String cpu, String memory, String jdk, String os, String kcat, String loadAverage) {

	static Machine describe() {
		return new Machine(Runtime.getRuntime().availableProcessors(), firstValue("/proc/cpuinfo", "model name"),
				firstValue("/proc/meminfo", "MemTotal"),
				System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
				System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
				kcatVersion(), currentLoadAverage());
	}

	Map<String, String> asMap() {
		Map<String, String> map = new LinkedHashMap<>();
		map.put("cores", String.valueOf(this.cores));
		map.put("cpu", this.cpu);
		map.put("memory", this.memory);
		map.put("jdk", this.jdk);
		map.put("os", this.os);
		map.put("kcat", this.kcat);
		map.put("load average at start", this.loadAverage);
		return map;
	}

	static String currentLoadAverage() {
		try {
			String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
			return fields[0] + " " + fields[1] + " " + fields[2];
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	private static String firstValue(String file, String name) {
		try {
			for (String line : Files.readAllLines(Path.of(file))) {
				if (line.startsWith(name)) {
					return line.substring(line.indexOf(':') + 1).trim();
				}
			}
		}
		catch (IOException ex) {
			// not Linux: say so below
		}
		return "unknown";
	}

	private static String kcatVersion() {
		if (!Files.isExecutable(Path.of(Benchmark.KCAT))) {
			return "missing (" + Benchmark.KCAT_INSTALL + ")";
		}
		try {
			Process process = new ProcessBuilder(Benchmark.KCAT, "-V").redirectErrorStream(true).start();
			List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();
			process.waitFor();
			return lines.stream().filter(line -> line.contains("Version")).findFirst().orElse(String.join(" ", lines)).trim();
		}
		catch (IOException ex) {
			return "unknown";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unknown";
		}
	}

}
