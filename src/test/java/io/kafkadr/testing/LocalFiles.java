package io.kafkadr.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.Checksums;
import io.kafkadr.archive.SegmentAppender;
import io.kafkadr.archive.SegmentLines;
import io.kafkadr.storage.Append;
import io.kafkadr.storage.LocalObjectStore;

/** The files of backups in a local storage location, for tests that read or damage them directly. */
public final class LocalFiles {

	private LocalFiles() {
	}

	/** The file of a backup in a local location. */
	public static Path of(BackupDirectory backup, String relative) {
		return ((LocalObjectStore) backup.store()).file(backup.key(relative));
	}

	/** The lines of a segment file. */
	public static SegmentLines lines(Path segment) {
		try {
			return new SegmentLines(Files.newInputStream(segment), segment.getFileName().toString(), segment.toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A new segment file to append to. */
	public static SegmentAppender appender(Path segment) {
		return new SegmentAppender(new LocalObjectStore(segment.getParent()), segment.getFileName().toString(),
				Append.EMPTY);
	}

	/** The SHA-256 of a file, as a manifest records it. */
	public static String sha256(Path file) {
		try (InputStream in = Files.newInputStream(file)) {
			return Checksums.sha256(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
