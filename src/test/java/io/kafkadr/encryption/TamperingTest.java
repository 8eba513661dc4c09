package io.kafkadr.encryption;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import com.github.luben.zstd.Zstd;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Whatever happens to an encrypted file between writing and reading (a changed bit, blocks
 * reordered, dropped, moved from another file or another place, a cut) fails to decrypt with a
 * message naming the file and where, never as wrong plaintext; a wrong key says so.
 */
class TamperingTest {

	private static final String PATH = "topics/orders/0/00000000000000000000.jsonl.zst";

	private static final String OTHER_PATH = "topics/orders/1/00000000000000000000.jsonl.zst";

	@TempDir
	Path directory;

	private KeyRing keys;

	private String k1;

	@BeforeEach
	void keys() {
		this.k1 = "k1=" + KeyFiles.newKey();
		this.keys = KeyFiles.ring(this.directory.resolve("keys"), this.k1);
	}

	@Test
	void everyFlippedBitIsFoundAndSaysWhere() {
		byte[] stored = KeyFiles.appended(BlockEncryptor.forNewFile(this.keys, PATH), new byte[0], chunk('a', 5),
				chunk('b', 40));
		List<Long> blocks = KeyFiles.blockOffsets(stored);
		int idEnd = 9 + 2;
		for (int position = 0; position < stored.length; position++) {
			byte[] damaged = stored.clone();
			damaged[position] ^= (byte) (1 << (position % 8));
			Throwable failure = catchThrowable(() -> EncryptedFiles.decrypt(damaged, PATH, this.keys));
			String where = "bit " + (position % 8) + " of byte " + position;
			assertThat(failure).as(where).isNotNull();
			if (position >= idEnd && position < blocks.get(0)) {
				assertThat(failure).as(where).isInstanceOf(EncryptionKeyException.class)
					.hasMessageStartingWith(PATH + " was encrypted with a key named k1, and the key under that id in the"
							+ " key file " + this.keys.file() + " (kafka-dr.encryption.key-file) does not match it.");
			}
			else if (position >= 8 && position < idEnd && failure instanceof EncryptionKeyException missing) {
				// a key id (or its length) changed into another valid one: a key the key file does not hold
				assertThat(missing.keyId()).as(where).isNotEqualTo("k1");
				assertThat(missing).as(where).hasMessageContaining("is encrypted with the key " + missing.keyId() + ", which"
						+ " the key file " + this.keys.file() + " (kafka-dr.encryption.key-file) does not hold");
			}
			else {
				long block = (position < blocks.get(0)) ? 0 : blockAt(blocks, position);
				assertThat(failure).as(where).isInstanceOf(DamagedFileException.class)
					.hasMessageStartingWith(PATH + ": ")
					.hasMessageEndingWith(": the file is damaged or was altered");
				assertThat(((DamagedFileException) failure).offset()).as(where).isEqualTo(block);
				if (block > 0) {
					assertThat(failure).as(where).hasMessageFindingMatch("the block at byte offset " + block + "\\b");
				}
			}
		}
	}

	@Test
	void aBlockThatDoesNotAuthenticateIsNamedWithItsOffset() {
		byte[] stored = KeyFiles.appended(BlockEncryptor.forNewFile(this.keys, PATH), chunk('a', 100), chunk('b', 100));
		long second = KeyFiles.blockOffsets(stored).get(1);
		stored[(int) second + 30] ^= 1;
		assertThatThrownBy(() -> EncryptedFiles.decrypt(stored, PATH, this.keys)).isInstanceOf(DamagedFileException.class)
			.hasMessage(PATH + ": the block at byte offset " + second + " does not authenticate (it was changed, or moved"
					+ " from another place or file): the file is damaged or was altered");
	}

	@Test
	void swappedBlocksFail() {
		byte[] stored = KeyFiles.appended(BlockEncryptor.forNewFile(this.keys, PATH), chunk('a', 50), chunk('b', 50),
				chunk('c', 50));
		List<Long> blocks = KeyFiles.blockOffsets(stored);
		byte[] swapped = stored.clone();
		int size = (int) (blocks.get(2) - blocks.get(1));
		System.arraycopy(stored, blocks.get(2).intValue(), swapped, blocks.get(1).intValue(), size);
		System.arraycopy(stored, blocks.get(1).intValue(), swapped, blocks.get(2).intValue(), size);
		assertDamagedAt(swapped, PATH, blocks.get(1));
	}

	@Test
	void aDroppedBlockFails() {
		byte[] stored = KeyFiles.appended(BlockEncryptor.forNewFile(this.keys, PATH), chunk('a', 50), chunk('b', 50),
				chunk('c', 50));
		List<Long> blocks = KeyFiles.blockOffsets(stored);
		byte[] dropped = new byte[stored.length - (int) (blocks.get(2) - blocks.get(1))];
		System.arraycopy(stored, 0, dropped, 0, blocks.get(1).intValue());
		System.arraycopy(stored, blocks.get(2).intValue(), dropped, blocks.get(1).intValue(),
				stored.length - blocks.get(2).intValue());
		assertDamagedAt(dropped, PATH, blocks.get(1));
	}

	@Test
	void aBlockFromAnotherFileOrAnotherPlaceFails() {
		byte[] stored = KeyFiles.appended(BlockEncryptor.forNewFile(this.keys, PATH), chunk('a', 50), chunk('b', 50));
		byte[] other = KeyFiles.appended(BlockEncryptor.forNewFile(this.keys, OTHER_PATH), chunk('x', 50),
				chunk('y', 50));
		List<Long> blocks = KeyFiles.blockOffsets(stored);
		assertThat(KeyFiles.blockOffsets(other)).isEqualTo(blocks);
		int second = blocks.get(1).intValue();

		byte[] moved = stored.clone();
		System.arraycopy(other, second, moved, second, stored.length - second);
		assertDamagedAt(moved, PATH, second);
		// the other file whole, under this file's name
		assertDamagedAt(other, PATH, blocks.get(0));

		byte[] repeated = stored.clone();
		System.arraycopy(stored, blocks.get(0).intValue(), repeated, second, stored.length - second);
		assertDamagedAt(repeated, PATH, second);

		byte[] appendedAgain = Arrays.copyOf(stored, stored.length + stored.length - second);
		System.arraycopy(stored, second, appendedAgain, stored.length, stored.length - second);
		assertDamagedAt(appendedAgain, PATH, stored.length);
	}

	@Test
	void aFileCutInsideABlockFails() throws IOException {
		byte[] stored = KeyFiles.appended(BlockEncryptor.forNewFile(this.keys, PATH), chunk('a', 40), chunk('b', 40));
		List<Long> blocks = KeyFiles.blockOffsets(stored);
		for (int length = 1; length < stored.length; length++) {
			byte[] cut = Arrays.copyOf(stored, length);
			if (blocks.contains((long) length)) {
				continue;
			}
			Throwable failure = catchThrowable(() -> EncryptedFiles.decrypt(cut, PATH, this.keys));
			assertThat(failure).as("cut at %d", length).isInstanceOf(DamagedFileException.class);
			if (length > blocks.get(0)) {
				long block = blockAt(blocks, length - 1);
				assertThat(failure).as("cut at %d", length)
					.hasMessage(PATH + ": the file ends inside the block at byte offset " + block + ", cut short: the file"
							+ " is damaged or was altered");
			}
			else {
				assertThat(failure).as("cut at %d", length).hasMessageContaining(": the header");
			}
		}
	}

	@Test
	void aFileCutAtABlockBoundaryIsAShorterFileOnlyTheManifestCanTellFromTheWholeOne() throws IOException {
		byte[] stored = KeyFiles.appended(BlockEncryptor.forNewFile(this.keys, PATH), chunk('a', 40), chunk('b', 40));
		List<Long> blocks = KeyFiles.blockOffsets(stored);
		assertThat(EncryptedFiles.decrypt(Arrays.copyOf(stored, blocks.get(1).intValue()), PATH, this.keys))
			.isEqualTo(chunk('a', 40));
		assertThat(EncryptedFiles.decrypt(Arrays.copyOf(stored, blocks.get(0).intValue()), PATH, this.keys)).isEmpty();
	}

	@Test
	void aWrongKeyUnderTheSameIdSaysTheKeyDoesNotMatch() {
		byte[] stored = EncryptedFiles.encrypt(chunk('a', 10), PATH, this.keys);
		KeyRing replaced = KeyFiles.ring(this.directory.resolve("replaced"), "k1=" + KeyFiles.newKey());
		assertThatThrownBy(() -> EncryptedFiles.decrypt(stored, PATH, replaced)).isInstanceOf(EncryptionKeyException.class)
			.hasMessage(PATH + " was encrypted with a key named k1, and the key under that id in the key file "
					+ replaced.file() + " (kafka-dr.encryption.key-file) does not match it. Either the key under that id"
					+ " was replaced: put the original back under k1 (to rotate, add a new key under a new id; the key"
					+ " under an id never changes). Or the file's header is damaged, which verifying the backup's"
					+ " checksums shows.");
	}

	@Test
	void aPlainFileIsNotTakenForAnEncryptedOne() {
		byte[] plain = Zstd.compress(chunk('a', 100));
		assertThatThrownBy(() -> EncryptedFiles.decrypt(plain, PATH, this.keys)).isInstanceOf(DamagedFileException.class)
			.hasMessage(PATH + ": the header does not start with KDRENC1 as every encrypted file does (if the backup is"
					+ " not encrypted, read the file as it is): the file is damaged or was altered");
		byte[] newer = EncryptedFiles.encrypt(chunk('a', 1), PATH, this.keys);
		newer[6] = '2';
		assertThatThrownBy(() -> EncryptedFiles.decrypt(newer, PATH, this.keys)).isInstanceOf(DamagedFileException.class)
			.hasMessageContaining("the header names the encryption format KDRENC2, which this kafka-dr does not read");
	}

	private void assertDamagedAt(byte[] stored, String path, long offset) {
		assertThatThrownBy(() -> EncryptedFiles.decrypt(stored, path, this.keys)).isInstanceOf(DamagedFileException.class)
			.hasMessageStartingWith(path + ": ")
			.hasMessageFindingMatch("the block at byte offset " + offset + "\\b")
			.satisfies(failure -> assertThat(((DamagedFileException) failure).offset()).isEqualTo(offset));
	}

	/** The offset of the block that holds the byte at {@code position}. */
	private static long blockAt(List<Long> blocks, long position) {
		return blocks.stream().filter(offset -> offset <= position).reduce((first, second) -> second).orElseThrow();
	}

	private static byte[] chunk(char letter, int length) {
		return String.valueOf(letter).repeat(length).getBytes(StandardCharsets.US_ASCII);
	}

}
