package io.kafkadr.encryption;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;

import javax.crypto.Cipher;

/**
 * Files encrypted at rest with AES-256-GCM, as docs/encryption-format.md specifies them: a header
 * naming the key, then blocks that are each encrypted and authenticated on their own, so that a
 * file can be appended to block by block, cut back to a block boundary and appended to again, and
 * read as a stream holding one block at a time. Each block is bound to the file's path within its
 * backup and to its byte offset, so blocks cannot be reordered, dropped from the middle or moved to
 * another file without failing to decrypt.
 *
 * <p>{@link BlockEncryptor} writes files incrementally; this class reads them and encrypts or
 * decrypts small files whole.
 */
public final class EncryptedFiles {

	/** The first bytes of every encrypted file: format version 1. */
	static final byte[] MAGIC = "KDRENC1\n".getBytes(StandardCharsets.US_ASCII);

	/** How many first bytes {@link #isEncrypted} needs. */
	public static final int MAGIC_LENGTH = 8;

	/** How many first bytes {@link #keyId} needs at most. */
	public static final int HEADER_MAX_LENGTH = 8 + 1 + 64;

	/** The part of the magic that every version shares, so that a later version is known as one. */
	static final int FAMILY_BYTES = 6;

	static final int LENGTH_BYTES = 4;

	static final int NONCE_BYTES = 12;

	static final int TAG_BYTES = 16;

	/**
	 * The most plaintext one block holds: a reader holds one block in memory, and refuses a length
	 * field beyond this as damaged rather than allocating whatever it says. A segment's chunk is
	 * about 0.5–4 MB compressed; a longer one is split.
	 */
	static final int MAX_BLOCK_PLAINTEXT = 4 << 20;

	private EncryptedFiles() {
	}

	/**
	 * Whether stored bytes are an encrypted file (of any format version), by their first bytes: the
	 * first 8 of a file suffice. Plain backup files never start this way: they start with a zstd or
	 * gzip magic number, or with JSON or a zip's "PK".
	 */
	public static boolean isEncrypted(byte[] stored) {
		return stored.length >= FAMILY_BYTES
				&& Arrays.equals(stored, 0, FAMILY_BYTES, MAGIC, 0, FAMILY_BYTES);
	}

	/**
	 * The id of the key an encrypted file names in its header, from its first bytes (73 suffice);
	 * empty for bytes that are not an encrypted file's start.
	 */
	public static Optional<String> keyId(byte[] start) {
		if (!isEncrypted(start) || start.length <= MAGIC.length) {
			return Optional.empty();
		}
		int length = start[MAGIC.length] & 0xff;
		if (start.length < MAGIC.length + 1 + length) {
			return Optional.empty();
		}
		String id = new String(start, MAGIC.length + 1, length, StandardCharsets.US_ASCII);
		return KeyRing.isValidId(id) ? Optional.of(id) : Optional.empty();
	}

	/**
	 * The plaintext of an encrypted file, as a stream that reads and authenticates one block at a
	 * time. The header is read here: a key the key ring lacks or does not match fails now, as an
	 * {@link EncryptionKeyException}; a damaged header or block is a {@link DamagedFileException}
	 * (here or from {@code read}). Closing the stream closes {@code stored}.
	 * @param path the file's path within its backup, '/'-separated, as it was written with
	 */
	public static InputStream decrypting(InputStream stored, String path, KeyRing keys) throws IOException {
		try {
			return new DecryptingInputStream(stored, path, keys);
		}
		catch (IOException | RuntimeException ex) {
			// the caller has no stream to close when this fails
			try {
				stored.close();
			}
			catch (IOException suppressed) {
				ex.addSuppressed(suppressed);
			}
			throw ex;
		}
	}

	/**
	 * Encrypts a whole file (metadata, a schema, a registry export) with the key ring's encryption
	 * key: the header and as many blocks as it takes.
	 */
	public static byte[] encrypt(byte[] plain, String path, KeyRing keys) {
		return BlockEncryptor.forNewFile(keys, path).encrypt(plain, 0, plain.length, 0);
	}

	/** Decrypts a whole file that {@link #encrypt} or a {@link BlockEncryptor} wrote. */
	public static byte[] decrypt(byte[] stored, String path, KeyRing keys) throws IOException {
		try (InputStream plain = decrypting(new ByteArrayInputStream(stored), path, keys)) {
			return plain.readAllBytes();
		}
	}

	/**
	 * The additional authenticated data of the block at {@code offset}: the path's UTF-8 bytes, then
	 * the offset as 8 bytes big-endian. The offset is the last 8 bytes, so no two (path, offset)
	 * pairs give the same bytes.
	 */
	static byte[] aad(byte[] path, long offset) {
		return ByteBuffer.allocate(path.length + Long.BYTES).put(path).putLong(offset).array();
	}

	/**
	 * A path as the authenticated data holds it. A path written on one system must decrypt on
	 * another, so it must be the backup's own '/'-separated name for the file, not a local one.
	 */
	static byte[] pathBytes(String path) {
		if (path.isEmpty() || path.startsWith("/") || path.indexOf('\\') >= 0) {
			throw new IllegalArgumentException("An encrypted file is named by its '/'-separated path within its"
					+ " backup, such as topics/orders/0/00000000000000000000.jsonl.zst; got '" + path + "'");
		}
		return path.getBytes(StandardCharsets.UTF_8);
	}

	static Cipher cipher() {
		try {
			return Cipher.getInstance("AES/GCM/NoPadding");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Every JDK has AES/GCM/NoPadding", ex);
		}
	}

}
