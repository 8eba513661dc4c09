package io.kafkadr.encryption;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts one file, bound to its key and its path within the backup, as bytes to append: the
 * header when the file is empty, then blocks. The caller appends what {@link #encrypt} returns
 * whole and keeps the file's length, which stays a point to resume from: a file cut back to a
 * length it had after an append is a valid file, and appending to it continues it.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class BlockEncryptor {

	/**
	 * Random 96-bit nonces, one per block: NIST SP 800-38D allows 2^32 blocks under one key so chosen
	 * (docs/encryption-format.md says why that is far away). SecureRandom is safe for concurrent use.
	 */
	private static final SecureRandom RANDOM = new SecureRandom();

	private static final int OVERHEAD = EncryptedFiles.LENGTH_BYTES + EncryptedFiles.NONCE_BYTES
			+ EncryptedFiles.TAG_BYTES;

	private final EncryptionKey key;

	private final String path;

	private final byte[] pathBytes;

	private final byte[] header;

	private BlockEncryptor(EncryptionKey key, String path) {
		this.key = key;
		this.path = path;
		this.pathBytes = EncryptedFiles.pathBytes(path);
		this.header = header(key);
	}

	/** Encrypts a new file with the key ring's encryption key (its first). */
	public static BlockEncryptor forNewFile(KeyRing keys, String path) {
		return new BlockEncryptor(keys.encryptionKey(), path);
	}

	/**
	 * Goes on encrypting a file begun with the key {@code keyId}, which the caller recorded with
	 * {@link #keyId()} when it began the file. Every block of a file is under the key its header
	 * names, even when the key file has since put another key first. A key the ring no longer holds
	 * is an {@link EncryptionKeyException}.
	 */
	public static BlockEncryptor forResumedFile(KeyRing keys, String keyId, String path) {
		return new BlockEncryptor(keys.require(keyId, path), path);
	}

	/** The id of the key the file is encrypted with, to record so that a resumed write uses it too. */
	public String keyId() {
		return this.key.id();
	}

	/** The length of the file's header, where its first block starts. */
	public int headerLength() {
		return this.header.length;
	}

	/**
	 * The bytes to append to the file, whose stored length before them is {@code fileLength}: the
	 * header first when it is 0, then the plaintext in blocks of at most 4 MiB, each with a fresh
	 * nonce and bound to the offset where it will stand. Empty plaintext still makes one block (of
	 * no plaintext), so that every append leaves an authenticated mark.
	 */
	public byte[] encrypt(byte[] plain, int offset, int length, long fileLength) {
		Objects.checkFromIndexSize(offset, length, plain.length);
		if (fileLength != 0 && fileLength < this.header.length) {
			throw new IllegalArgumentException(this.path + " cannot be " + fileLength + " bytes long: its header alone"
					+ " is " + this.header.length);
		}
		int blocks = Math.max(1, Math.ceilDiv(length, EncryptedFiles.MAX_BLOCK_PLAINTEXT));
		int headerLength = (fileLength == 0) ? this.header.length : 0;
		byte[] out = new byte[Math.addExact(Math.addExact(headerLength, length), Math.multiplyExact(blocks, OVERHEAD))];
		ByteBuffer buffer = ByteBuffer.wrap(out);
		buffer.put(this.header, 0, headerLength);
		int done = 0;
		do {
			int size = Math.min(length - done, EncryptedFiles.MAX_BLOCK_PLAINTEXT);
			long blockOffset = fileLength + buffer.position();
			byte[] nonce = new byte[EncryptedFiles.NONCE_BYTES];
			RANDOM.nextBytes(nonce);
			buffer.putInt(size + EncryptedFiles.TAG_BYTES).put(nonce);
			try {
				Cipher cipher = EncryptedFiles.cipher();
				cipher.init(Cipher.ENCRYPT_MODE, this.key.secret(),
						new GCMParameterSpec(EncryptedFiles.TAG_BYTES * 8, nonce));
				cipher.updateAAD(EncryptedFiles.aad(this.pathBytes, blockOffset));
				int written = cipher.doFinal(plain, offset + done, size, out, buffer.position());
				buffer.position(buffer.position() + written);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("AES-256-GCM refused a key or a block it always takes", ex);
			}
			done += size;
		}
		while (done < length);
		return out;
	}

	/** Magic, key id length (1 byte), key id (ASCII), key check. */
	private static byte[] header(EncryptionKey key) {
		byte[] id = key.id().getBytes(StandardCharsets.US_ASCII);
		return ByteBuffer.allocate(EncryptedFiles.MAGIC.length + 1 + id.length + EncryptionKey.CHECK_BYTES)
			.put(EncryptedFiles.MAGIC)
			.put((byte) id.length)
			.put(id)
			.put(key.check())
			.array();
	}

}
