package io.kafkadr.archive;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.kafkadr.testing.LocalFiles;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Lines of a segment read as bytes: across members, longer than the read buffer, without a final newline. */
class SegmentLinesTest {

	@TempDir
	Path directory;

	@ParameterizedTest
	@EnumSource(SegmentCompression.class)
	void readsEveryLineAsWrittenWhateverItsLength(SegmentCompression compression) {
		Path file = this.directory.resolve(BackupDirectory.segmentName(0, compression));
		String longLine = "é".repeat(150_000);
		try (SegmentAppender appender = LocalFiles.appender(file)) {
			appender.append("first\n\nthird\r\n".getBytes(StandardCharsets.UTF_8));
			appender.append((longLine + "\n").getBytes(StandardCharsets.UTF_8));
			appender.append("last, without a newline".getBytes(StandardCharsets.UTF_8));
		}
		List<String> lines = new ArrayList<>();
		List<Long> numbers = new ArrayList<>();
		try (SegmentLines segment = LocalFiles.lines(file)) {
			while (segment.advance()) {
				lines.add(new String(segment.buffer(), segment.offset(), segment.length(), StandardCharsets.UTF_8));
				numbers.add(segment.lineNumber());
			}
			assertThat(segment.next()).isNull();
		}
		assertThat(lines).containsExactly("first", "", "third", longLine, "last, without a newline");
		assertThat(numbers).containsExactly(1L, 2L, 3L, 4L, 5L);
	}

}
