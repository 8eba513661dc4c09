package io.kafkadr.progress;

/** Byte counts, counted nouns and durations as the progress lines show them. */
final class Units {

	private static final String[] BYTE_UNITS = { "B", "KiB", "MiB", "GiB", "TiB" };

	private Units() {
	}

	static String bytes(long bytes) {
		double value = bytes;
		int unit = 0;
		while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
			value /= 1024;
			unit++;
		}
		return (unit == 0) ? bytes + " B" : String.format("%.1f %s", value, BYTE_UNITS[unit]);
	}

	static String count(long count, String noun) {
		return String.format("%,d %s%s", count, noun, (count == 1) ? "" : "s");
	}

	static String duration(long seconds) {
		if (seconds < 60) {
			return seconds + "s";
		}
		if (seconds < 3600) {
			return (seconds / 60) + "m" + String.format("%02d", seconds % 60) + "s";
		}
		return (seconds / 3600) + "h" + String.format("%02d", (seconds % 3600) / 60) + "m";
	}

}
