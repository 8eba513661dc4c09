package io.kafkadr.encryption;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.luben.zstd.Zstd;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The procedure docs/encryption-format.md gives for decrypting a file without kafka-dr works: its
 * Java program, taken from the page as it stands and run as the page says ({@code java
 * Decrypt.java KEY_FILE PATH < file | zstdcat}), with nothing of kafka-dr on its class path,
 * decrypts what kafka-dr encrypted, and fails on a damaged file.
 */
class DocumentedDecryptionTest {

	private static final String PATH = "topics/postgres.public.orders/0/00000000000000000000.jsonl.zst";

	@TempDir
	Path backup;

	@TempDir
	Path work;

	private String program;

	@BeforeEach
	void program() throws IOException {
		Matcher java = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL)
			.matcher(Files.readString(Path.of("docs/encryption-format.md")));
		assertThat(java.find()).as("the Java program in docs/encryption-format.md").isTrue();
		assertThat(java.group(1).lines().count()).as("a program short enough to read").isLessThanOrEqualTo(32);
		this.program = java.group(1);
	}

	@Test
	void theDocumentedProgramDecryptsASegmentOfManyBlocksIntoWhatZstdcatReads() throws Exception {
		// rotated: the program must pick the key the header names, not the first
		Path keyFile = KeyFiles.write(this.backup.resolve("keys"), "# rotated", "k2=" + KeyFiles.newKey(),
				"  k1 = " + KeyFiles.newKey());
		KeyRing rotated = KeyRing.load(keyFile);
		BlockEncryptor encryptor = BlockEncryptor.forResumedFile(rotated, "k1", PATH);
		List<String> lines = new ArrayList<>();
		List<byte[]> chunks = new ArrayList<>();
		for (int chunk = 0; chunk < 5; chunk++) {
			StringBuilder members = new StringBuilder();
			for (int record = 0; record < 1000 * chunk; record++) {
				String line = "{\"offset\":" + lines.size() + ",\"value\":{\"text\":\"Ada Lovelace\"}}";
				lines.add(line);
				members.append(line).append('\n');
			}
			// one zstd frame per chunk, as a segment holds them; the first chunk is empty
			chunks.add(Zstd.compress(members.toString().getBytes(StandardCharsets.UTF_8), 1));
		}
		Path segment = this.backup.resolve(PATH);
		Files.createDirectories(segment.getParent());
		Files.write(segment, KeyFiles.appended(encryptor, chunks.toArray(byte[][]::new)));

		Result result = run("java Decrypt.java \"$1\" \"$2\" < \"$2\" | zstdcat", keyFile, PATH);
		assertThat(result.exitCode()).as(result.errors()).isZero();
		assertThat(result.output().lines().toList()).isEqualTo(lines);
	}

	@Test
	void theDocumentedProgramFailsOnADamagedFile() throws Exception {
		Path keyFile = KeyFiles.write(this.backup.resolve("keys"), "k1=" + KeyFiles.newKey());
		byte[] stored = EncryptedFiles.encrypt("{\"subjects\":[]}\n".getBytes(StandardCharsets.UTF_8), "registry.json",
				KeyRing.load(keyFile));
		stored[stored.length - 20] ^= 1;
		Files.write(this.backup.resolve("registry.json"), stored);

		Result result = run("java Decrypt.java \"$1\" \"$2\" < \"$2\"", keyFile, "registry.json");
		assertThat(result.exitCode()).isNotZero();
		assertThat(result.errors()).contains("AEADBadTagException");
		assertThat(result.output()).isEmpty();
	}

	/**
	 * Runs a shell command in the backup directory, where the program is saved as Decrypt.java, with
	 * the JDK running the tests first on the PATH.
	 */
	private Result run(String command, Path keyFile, String path) throws IOException, InterruptedException {
		Files.writeString(this.backup.resolve("Decrypt.java"), this.program);
		ProcessBuilder builder = new ProcessBuilder("bash", "-o", "pipefail", "-c", command, "decrypt",
				keyFile.toString(), path)
			.directory(this.backup.toFile());
		builder.environment()
			.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
		Path errors = this.work.resolve("errors");
		Process process = builder.redirectError(errors.toFile()).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		return new Result(process.waitFor(), output, Files.readString(errors));
	}

	private record Result(int exitCode, String output, String errors) {
	}

}
