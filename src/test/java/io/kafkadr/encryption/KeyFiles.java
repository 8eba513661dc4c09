package io.kafkadr.encryption;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.kafkadr.testing.EncryptionKeys;

/** Key files with fresh random keys, and encrypted files appended block by block, for the tests. */
final class KeyFiles {

	private KeyFiles() {
	}

	/** A fresh 256-bit key in base64, as a key file holds it. */
	static String newKey() {
		return EncryptionKeys.newKey();
	}

	/** Writes a key file of the lines given (owner-only, as it should be) and loads it. */
	static KeyRing ring(Path file, String... lines) {
		write(file, lines);
		return KeyRing.load(file);
	}

	static Path write(Path file, String... lines) {
		return EncryptionKeys.write(file, lines);
	}

	/** A file encrypted by appending each chunk, as a segment is written: one {@link BlockEncryptor#encrypt} each. */
	static byte[] appended(BlockEncryptor encryptor, byte[]... chunks) {
		ByteArrayOutputStream file = new ByteArrayOutputStream();
		for (byte[] chunk : chunks) {
			file.writeBytes(encryptor.encrypt(chunk, 0, chunk.length, file.size()));
		}
		return file.toByteArray();
	}

	/**
	 * The offsets of a file's blocks, found by walking the layout as docs/encryption-format.md gives
	 * it (header: 8 + 1 + n + 16 bytes; block: 4-byte length L, 12-byte nonce, L bytes), and the
	 * file's length last.
	 */
	static List<Long> blockOffsets(byte[] stored) {
		List<Long> offsets = new ArrayList<>();
		int offset = 8 + 1 + (stored[8] & 0xff) + 16;
		while (offset < stored.length) {
			offsets.add((long) offset);
			offset += 4 + 12 + ByteBuffer.wrap(stored, offset, 4).getInt();
		}
		offsets.add((long) offset);
		return offsets;
	}

}
