package io.kafkadr.encryption;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.github.luben.zstd.Zstd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Encrypted files written as segments are, by appends, and read back as a stream: what goes in
 * comes out, block by block, under the key the file started with, and none of it shows in the
 * stored bytes.
 */
class BlockEncryptionTest {

	private static final String PATH = "topics/postgres.public.users/0/00000000000000000000.jsonl.zst";

	@TempDir
	Path directory;

	@Test
	void manyAppendsOfRandomSizesReadBackAsOneStream() throws IOException {
		long seed = System.nanoTime();
		Random random = new Random(seed);
		KeyRing keys = KeyFiles.ring(this.directory.resolve("keys"), "k1=" + KeyFiles.newKey());
		BlockEncryptor encryptor = BlockEncryptor.forNewFile(keys, PATH);
		ByteArrayOutputStream plain = new ByteArrayOutputStream();
		ByteArrayOutputStream stored = new ByteArrayOutputStream();
		for (int append = 0; append < 300; append++) {
			int size = switch (append % 10) {
				case 0 -> 0;
				case 1 -> 1;
				case 2 -> random.nextInt(1 << 20);
				default -> random.nextInt(5000);
			};
			if (append == 150) {
				// a chunk longer than a block: split in three, each bound to its own offset
				size = 9 << 20;
			}
			byte[] chunk = new byte[size];
			random.nextBytes(chunk);
			// from the middle of a larger array, as a caller's buffer holds it
			byte[] buffer = new byte[size + 7];
			System.arraycopy(chunk, 0, buffer, 3, size);
			byte[] appended = encryptor.encrypt(buffer, 3, size, stored.size());
			int blocks = Math.max(1, (size + (4 << 20) - 1) / (4 << 20));
			assertThat(appended).as("append %d of %d bytes (seed %d)", append, size, seed)
				.hasSize(((append == 0) ? encryptor.headerLength() : 0) + size + blocks * (4 + 12 + 16));
			stored.writeBytes(appended);
			plain.writeBytes(chunk);
		}
		assertThat(KeyFiles.blockOffsets(stored.toByteArray())).as("blocks").hasSize(300 + 2 + 1);
		try (InputStream in = EncryptedFiles.decrypting(new ByteArrayInputStream(stored.toByteArray()), PATH, keys)) {
			ByteArrayOutputStream read = new ByteArrayOutputStream();
			byte[] buffer = new byte[70_000];
			for (int n = in.read(buffer, 0, 1 + random.nextInt(buffer.length)); n >= 0;
					n = in.read(buffer, 0, 1 + random.nextInt(buffer.length))) {
				read.write(buffer, 0, n);
				int single = in.read();
				if (single >= 0) {
					read.write(single);
				}
			}
			assertThat(Arrays.equals(read.toByteArray(), plain.toByteArray())).as("round trip (seed %d)", seed).isTrue();
		}
	}

	@Test
	void theReaderHoldsOneBlockAtATime() throws IOException {
		KeyRing keys = KeyFiles.ring(this.directory.resolve("keys"), "k1=" + KeyFiles.newKey());
		byte[] chunk = new byte[100_000];
		byte[] stored = KeyFiles.appended(BlockEncryptor.forNewFile(keys, PATH), chunk, chunk, chunk);
		List<Long> blocks = KeyFiles.blockOffsets(stored);
		Counting counting = new Counting(new ByteArrayInputStream(stored));
		try (InputStream in = EncryptedFiles.decrypting(counting, PATH, keys)) {
			assertThat(counting.count).as("the header").isEqualTo(blocks.get(0));
			in.read();
			assertThat(counting.count).as("the header and the first block").isEqualTo(blocks.get(1));
			in.readNBytes(chunk.length);
			assertThat(counting.count).as("and the second").isEqualTo(blocks.get(2));
		}
	}

	@Test
	void noPlaintextShowsInTheStoredBytes() throws IOException {
		KeyRing keys = KeyFiles.ring(this.directory.resolve("keys"), "k1=" + KeyFiles.newKey());
		String line = "{\"partition\":0,\"offset\":42,\"timestampType\":\"CreateTime\",\"value\":{\"text\":\"Ada Lovelace\"}}";
		byte[] lines = (line + "\n").repeat(200).getBytes(StandardCharsets.UTF_8);
		byte[] streamed = KeyFiles.appended(BlockEncryptor.forNewFile(keys, PATH), lines, lines);
		byte[] whole = EncryptedFiles.encrypt(lines, "registry.json", keys);
		byte[] again = EncryptedFiles.encrypt(lines, "registry.json", keys);
		for (byte[] stored : List.of(streamed, whole, again)) {
			assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("Ada Lovelace", "timestampType",
					"Lovelace", "partition", "CreateTime");
		}
		assertThat(again).as("a fresh nonce per block").isNotEqualTo(whole);
		assertThat(EncryptedFiles.decrypt(whole, "registry.json", keys)).isEqualTo(lines);
		assertThat(EncryptedFiles.decrypt(again, "registry.json", keys)).isEqualTo(lines);
	}

	@Test
	void aWholeFileIsSplitIntoBlocksOfAtMost4MiBAndKnownAsEncrypted() throws IOException {
		KeyRing keys = KeyFiles.ring(this.directory.resolve("keys"), "k1=" + KeyFiles.newKey());
		byte[] export = new byte[(9 << 20) + 5];
		new Random(7).nextBytes(export);
		byte[] stored = EncryptedFiles.encrypt(export, "registry-export.zip", keys);
		List<Long> offsets = KeyFiles.blockOffsets(stored);
		assertThat(offsets).hasSize(4);
		for (int block = 0; block < 3; block++) {
			assertThat(offsets.get(block + 1) - offsets.get(block)).isLessThanOrEqualTo(4 + 12 + (4 << 20) + 16);
		}
		assertThat(EncryptedFiles.decrypt(stored, "registry-export.zip", keys)).isEqualTo(export);
		assertThat(EncryptedFiles.decrypt(EncryptedFiles.encrypt(new byte[0], "schemas/a.json", keys), "schemas/a.json",
				keys)).isEmpty();

		assertThat(EncryptedFiles.isEncrypted(stored)).isTrue();
		assertThat(EncryptedFiles.isEncrypted(Arrays.copyOf(stored, 8))).isTrue();
		assertThat(EncryptedFiles.isEncrypted(Zstd.compress("{}\n".getBytes(StandardCharsets.UTF_8)))).isFalse();
		assertThat(EncryptedFiles.isEncrypted("{\"subjects\":[]}".getBytes(StandardCharsets.UTF_8))).isFalse();
		assertThat(EncryptedFiles.isEncrypted(new byte[] { 0x1f, (byte) 0x8b, 8, 0 })).isFalse();
		assertThat(EncryptedFiles.isEncrypted("PK\3\4".getBytes(StandardCharsets.US_ASCII))).isFalse();
		assertThat(EncryptedFiles.isEncrypted(new byte[0])).isFalse();
	}

	@Test
	void rotationReadsOldFilesWithTheOldKeyAndWritesNewOnesWithTheNew() throws IOException {
		String k1 = "k1=" + KeyFiles.newKey();
		String k2 = "k2=" + KeyFiles.newKey();
		KeyRing before = KeyFiles.ring(this.directory.resolve("before"), k1);
		KeyRing after = KeyFiles.ring(this.directory.resolve("after"), k2, k1);
		byte[] plain = "{\"n\":1}\n".getBytes(StandardCharsets.UTF_8);
		byte[] old = EncryptedFiles.encrypt(plain, PATH, before);

		assertThat(EncryptedFiles.decrypt(old, PATH, after)).isEqualTo(plain);
		BlockEncryptor encryptor = BlockEncryptor.forNewFile(after, PATH);
		assertThat(encryptor.keyId()).isEqualTo("k2");
		byte[] rotated = KeyFiles.appended(encryptor, plain);
		assertThat(EncryptedFiles.decrypt(rotated, PATH, KeyFiles.ring(this.directory.resolve("new"), k2))).isEqualTo(plain);
		assertThatThrownBy(() -> EncryptedFiles.decrypt(rotated, PATH, before)).isInstanceOf(EncryptionKeyException.class)
			.hasMessage(PATH + " is encrypted with the key k2, which the key file " + this.directory.resolve("before")
					+ " (kafka-dr.encryption.key-file) does not hold (it holds k1). Add the line k2=... back to it from"
					+ " where the key is kept: a key is needed for as long as a backup it encrypted is kept.");
	}

	@Test
	void aFileResumedAfterRotationKeepsTheKeyItStartedWith() throws IOException {
		String k1 = "k1=" + KeyFiles.newKey();
		KeyRing before = KeyFiles.ring(this.directory.resolve("before"), k1);
		byte[][] chunks = { line(1), line(2), line(3), line(4) };
		BlockEncryptor started = BlockEncryptor.forNewFile(before, PATH);
		ByteArrayOutputStream file = new ByteArrayOutputStream();
		file.writeBytes(started.encrypt(chunks[0], 0, chunks[0].length, file.size()));
		file.writeBytes(started.encrypt(chunks[1], 0, chunks[1].length, file.size()));
		int committed = file.size();
		// the chunk a kill interrupted before its commit: cut off on resume
		file.writeBytes(started.encrypt(chunks[2], 0, chunks[2].length, file.size()));

		KeyRing after = KeyFiles.ring(this.directory.resolve("after"), "k2=" + KeyFiles.newKey(), k1);
		BlockEncryptor resumed = BlockEncryptor.forResumedFile(after, started.keyId(), PATH);
		ByteArrayOutputStream cut = new ByteArrayOutputStream();
		cut.write(file.toByteArray(), 0, committed);
		cut.writeBytes(resumed.encrypt(chunks[3], 0, chunks[3].length, cut.size()));

		assertThat(new String(EncryptedFiles.decrypt(cut.toByteArray(), PATH, after), StandardCharsets.UTF_8))
			.isEqualTo("{\"n\":1}\n{\"n\":2}\n{\"n\":4}\n");
		KeyRing forgotten = KeyFiles.ring(this.directory.resolve("forgotten"), "k2=" + KeyFiles.newKey());
		assertThatThrownBy(() -> BlockEncryptor.forResumedFile(forgotten, "k1", PATH))
			.isInstanceOf(EncryptionKeyException.class)
			.hasMessageStartingWith(PATH + " is encrypted with the key k1, which the key file ");
		assertThatThrownBy(() -> resumed.encrypt(chunks[3], 0, chunks[3].length, 10))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("its header alone is " + resumed.headerLength());
	}

	@Test
	void aPathMustBeTheBackupsOwnName() {
		KeyRing keys = KeyFiles.ring(this.directory.resolve("keys"), "k1=" + KeyFiles.newKey());
		for (String local : List.of("", "/var/backups/x/topics/a/0/1.jsonl.zst", "topics\\a\\0\\1.jsonl.zst")) {
			assertThatThrownBy(() -> BlockEncryptor.forNewFile(keys, local)).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("'/'-separated path within its backup");
		}
	}

	private static byte[] line(int n) {
		return ("{\"n\":" + n + "}\n").getBytes(StandardCharsets.UTF_8);
	}

	/** Counts the bytes taken from the stored file. */
	private static final class Counting extends FilterInputStream {

		long count;

		Counting(InputStream in) {
			super(in);
		}

		@Override
		public int read() throws IOException {
			int read = super.read();
			this.count += (read >= 0) ? 1 : 0;
			return read;
		}

		@Override
		public int read(byte[] bytes, int offset, int length) throws IOException {
			int read = super.read(bytes, offset, length);
			this.count += Math.max(read, 0);
			return read;
		}

	}

}
