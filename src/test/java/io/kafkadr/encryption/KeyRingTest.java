package io.kafkadr.encryption;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Key files: the first key encrypts, every key is found by its id, and each way a key file can be
 * wrong is refused with the file, the line and the fix, never with any of its key material.
 */
class KeyRingTest {

	@TempDir
	Path directory;

	@Test
	void theFirstKeyEncryptsAndEveryKeyIsFoundByItsId() {
		String k2 = KeyFiles.newKey();
		String k1 = KeyFiles.newKey();
		KeyRing keys = KeyFiles.ring(this.directory.resolve("keys"), "# rotated in June", "", "  2026-06 = " + k2 + "\r",
				"\t# the old key, kept for the backups it encrypted", "2026-01=" + k1);
		assertThat(keys.encryptionKey().id()).isEqualTo("2026-06");
		assertThat(keys.ids()).containsExactly("2026-06", "2026-01");
		assertThat(keys.key("2026-01")).map(EncryptionKey::id).contains("2026-01");
		assertThat(keys.key("2025-01")).isEmpty();
		assertThat(keys.warning()).isEmpty();
		assertThat(keys.key("2026-01").orElseThrow().secret().getEncoded()).isEqualTo(Base64.getDecoder().decode(k1));
		assertThat(keys.toString() + keys.encryptionKey()).doesNotContain(k1, k2, k1.substring(0, 20),
				k2.substring(0, 20));
	}

	@Test
	void theExampleKeyFileInTheDocsLoads() throws IOException {
		Matcher example = Pattern.compile("```\n(# kafka-dr backup keys.*?)```", Pattern.DOTALL)
			.matcher(Files.readString(Path.of("docs/encryption-format.md")));
		assertThat(example.find()).as("the key file example in docs/encryption-format.md").isTrue();
		Path file = this.directory.resolve("keys");
		Files.writeString(file, example.group(1));
		assertThat(KeyRing.load(file).ids()).containsExactly("2026-06", "2026-01");
	}

	@Test
	void aMissingFileIsNamedWithTheSettingAndWhereToMountIt() {
		Path file = this.directory.resolve("missing");
		assertThatThrownBy(() -> KeyRing.load(file)).isInstanceOf(KeyFileException.class)
			.hasMessage("The key file " + file + " (kafka-dr.encryption.key-file) does not exist. Mount the Secret that"
					+ " holds the keys there, or set kafka-dr.encryption.key-file to where it is mounted.");
	}

	@Test
	void aDirectoryIsRefusedNamingTheFileInItToUse() {
		assertThatThrownBy(() -> KeyRing.load(this.directory)).isInstanceOf(KeyFileException.class)
			.hasMessageContaining(this.directory + " (kafka-dr.encryption.key-file) is a directory")
			.hasMessageContaining("Set kafka-dr.encryption.key-file to the file in it that holds the keys");
	}

	@Test
	void aFileThatCannotBeReadSaysWhy() throws IOException {
		Path loop = this.directory.resolve("loop");
		Files.createSymbolicLink(loop, loop);
		assertThatThrownBy(() -> KeyRing.load(loop)).isInstanceOf(KeyFileException.class)
			.hasMessageStartingWith("The key file " + loop + " (kafka-dr.encryption.key-file) cannot be read (")
			.hasMessageContaining("Check that kafka-dr.encryption.key-file names the file that holds the keys");
	}

	@Test
	void aFileWithoutKeysIsRefused() {
		Path file = KeyFiles.write(this.directory.resolve("keys"), "# no keys yet", "", "   ");
		assertThatThrownBy(() -> KeyRing.load(file)).isInstanceOf(KeyFileException.class)
			.hasMessageStartingWith("The key file " + file + " (kafka-dr.encryption.key-file) holds no keys. Add a line"
					+ " KEY_ID=BASE64");
	}

	@Test
	void aLineWithoutEqualsSignIsRefusedWithoutShowingIt() {
		String key = KeyFiles.newKey();
		refused(List.of(key), "k1=" + KeyFiles.newKey(), "k2 " + key.replace("=", ""))
			.hasMessageStartingWith("Line 2 of the key file ")
			.hasMessageContaining("is not KEY_ID=BASE64: it has no '='");
	}

	@Test
	void aKeyPastedWithoutAnIdIsRefusedWithoutShowingIt() {
		String key = KeyFiles.newKey();
		refused(List.of(key), "", key).hasMessageStartingWith("Line 2 of the key file ")
			.hasMessageContaining("has no key after its '='");
	}

	@Test
	void anInvalidKeyIdIsRefused() {
		String key = KeyFiles.newKey();
		refused(List.of(key), "key one=" + key).hasMessageStartingWith("Line 1 of the key file ")
			.hasMessageContaining("has an invalid key id (the 7 characters before '='). A key id is 1 to 64 letters,"
					+ " digits, '.', '_' or '-'");
		refused(List.of(key), "k".repeat(65) + "=" + key).hasMessageContaining("has an invalid key id (the 65 characters");
		refused(List.of(key), "=" + key).hasMessageContaining("has an invalid key id (the 0 characters");
	}

	@Test
	void aKeyThatIsNotBase64IsRefusedWithoutShowingIt() {
		String key = KeyFiles.newKey();
		String mangled = key.substring(0, 20) + "*" + key.substring(21);
		refused(List.of(key.substring(0, 20), key.substring(21)), "k1=" + mangled)
			.hasMessageStartingWith("Line 1 of the key file ")
			.hasMessageContaining("holds a key for k1 that is not base64. Write it in standard base64");
	}

	@Test
	void aKeyOfTheWrongLengthIsRefused() {
		byte[] short16 = new byte[16];
		String key = Base64.getEncoder().encodeToString(short16);
		refused(List.of(key), "k1=" + KeyFiles.newKey(), "# short", "k2=" + key)
			.hasMessageStartingWith("Line 3 of the key file ")
			.hasMessageContaining("holds a key for k2 of 16 bytes; AES-256 needs 32. Generate one with openssl rand"
					+ " -base64 32.");
	}

	@Test
	void aRepeatedKeyIdIsRefusedNamingBothLines() {
		String first = KeyFiles.newKey();
		String second = KeyFiles.newKey();
		refused(List.of(first, second), "k1=" + first, "k2=" + KeyFiles.newKey(), "k1=" + second)
			.hasMessageStartingWith("Line 3 of the key file ")
			.hasMessageContaining("repeats the key id k1 of line 1. Give every key its own id");
	}

	@Test
	void aKeyFileOthersCanReadIsWarnedAbout() throws IOException {
		Path file = KeyFiles.write(this.directory.resolve("keys"), "k1=" + KeyFiles.newKey());
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
		assertThat(KeyRing.load(file).warning()).hasValue("The key file " + file + " (kafka-dr.encryption.key-file) is"
				+ " readable by its group and every user (rw-r--r--), and its keys decrypt every backup. Make it readable"
				+ " by kafka-dr's user only: chmod 600, or defaultMode: 0400 on the Secret volume.");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r-----"));
		assertThat(KeyRing.load(file).warning()).hasValueSatisfying(
				warning -> assertThat(warning).contains("is readable by its group (r--r-----)"));
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
		assertThat(KeyRing.load(file).warning()).isEmpty();
	}

	/** Loads a key file of these lines, which must fail naming the file, and never show any of {@code secrets}. */
	private AbstractThrowableAssert<?, ? extends Throwable> refused(List<String> secrets, String... lines) {
		Path file = KeyFiles.write(this.directory.resolve("keys"), lines);
		AbstractThrowableAssert<?, ? extends Throwable> thrown = assertThatThrownBy(() -> KeyRing.load(file))
			.isInstanceOf(KeyFileException.class)
			.hasMessageContaining(" of the key file " + file + " (kafka-dr.encryption.key-file) ");
		for (String secret : secrets) {
			// any 8 characters of it: enough to tell it was shown, short of matching ordinary words
			for (int start = 0; start + 8 <= secret.length(); start++) {
				thrown.message().doesNotContain(secret.substring(start, start + 8));
			}
		}
		return thrown;
	}

}
