package io.kafkadr.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** How far a running backup got, as the kill and stop tests watch it from outside: the bytes of its segment files. */
public final class SegmentBytes {

	private SegmentBytes() {
	}

	/** The bytes of every segment file of the backup {@code backupId} in {@code storage}; 0 before it has any. */
	public static long of(Path storage, String backupId) {
		return under(storage.resolve(backupId).resolve("topics"));
	}

	/** The bytes of the segment files of one topic of the backup; 0 before it has any. */
	public static long of(Path storage, String backupId, String topic) {
		return under(storage.resolve(backupId).resolve("topics").resolve(topic));
	}

	private static long under(Path directory) {
		if (!Files.isDirectory(directory)) {
			return 0;
		}
		try (Stream<Path> files = Files.walk(directory)) {
			return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
		}
		catch (IOException | UncheckedIOException ex) {
			// a segment may vanish while we walk: the restarted writer deletes uncommitted ones
			return 0;
		}
	}

}
