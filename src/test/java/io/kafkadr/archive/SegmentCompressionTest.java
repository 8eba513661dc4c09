package io.kafkadr.archive;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.kafkadr.storage.Append;
import io.kafkadr.storage.LocalObjectStore;
import io.kafkadr.testing.LocalFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A segment in either compression: chunks appended as members read back as one stream of lines, a
 * chunk whose commit never happened is cut off on resume, and the standard command-line tool
 * ({@code zcat} or {@code zstdcat}) reads the same lines.
 */
class SegmentCompressionTest {

	@TempDir
	Path directory;

	@ParameterizedTest
	@EnumSource(SegmentCompression.class)
	void appendedChunksReadAsOneStreamAndAnUncommittedChunkIsCutOff(SegmentCompression compression) throws Exception {
		Path file = this.directory.resolve(BackupDirectory.segmentName(42, compression));
		assertThat(SegmentCompression.of(file.getFileName().toString())).isEqualTo(compression);
		assertThat(BackupDirectory.isSegmentName(file.getFileName().toString())).isTrue();
		Append committed;
		try (SegmentAppender appender = LocalFiles.appender(file)) {
			appender.append(concat(line(1), line(2)));
			committed = appender.append(line(3));
			// a chunk written after the last commit, as a kill before the commit leaves it
			appender.append(line(99));
		}
		try (SegmentAppender resumed = new SegmentAppender(new LocalObjectStore(file.getParent()), file.getFileName().toString(), committed)) {
			resumed.append(line(4));
		}
		assertThat(lines(file)).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
		String tool = (compression == SegmentCompression.ZSTD) ? "zstdcat" : "zcat";
		Process process = new ProcessBuilder(tool, file.toString()).redirectErrorStream(true).start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor()).as(tool + ": " + out).isZero();
		assertThat(out).isEqualTo("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n");
		assertThat(Files.size(file)).isLessThan(4 * 9 + 200);
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

	private static byte[] line(int n) {
		return ("{\"n\":" + n + "}\n").getBytes(StandardCharsets.UTF_8);
	}

	private static List<String> lines(Path file) {
		List<String> lines = new ArrayList<>();
		try (SegmentLines segment = LocalFiles.lines(file)) {
			for (String line = segment.next(); line != null; line = segment.next()) {
				lines.add(line);
			}
		}
		return lines;
	}

}
