package io.kafkadr.encryption;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The plaintext of an encrypted file, read block by block: a block's plaintext is returned only
 * once its tag has verified, and only one block is held at a time.
 */
final class DecryptingInputStream extends InputStream {

	private final InputStream stored;

	private final String path;

	private final byte[] pathBytes;

	private final EncryptionKey key;

	/** The offset in the stored file of the next block. */
	private long offset;

	/** The current block, decrypted in place: plaintext from 0 to {@link #limit}. */
	private byte[] block = new byte[0];

	private int position;

	private int limit;

	private boolean ended;

	DecryptingInputStream(InputStream stored, String path, KeyRing keys) throws IOException {
		this.stored = stored;
		this.path = path;
		this.pathBytes = EncryptedFiles.pathBytes(path);
		byte[] magic = this.stored.readNBytes(EncryptedFiles.MAGIC.length);
		if (magic.length < EncryptedFiles.MAGIC.length
				&& Arrays.equals(magic, 0, magic.length, EncryptedFiles.MAGIC, 0, magic.length)) {
			throw new DamagedFileException(path, 0, "the header is cut short");
		}
		if (!Arrays.equals(magic, EncryptedFiles.MAGIC)) {
			throw new DamagedFileException(path, 0, EncryptedFiles.isEncrypted(magic)
					? "the header names the encryption format " + new String(magic, 0, 7, StandardCharsets.US_ASCII)
							+ ", which this kafka-dr does not read (if a newer kafka-dr wrote it, read it with that)"
					: "the header does not start with KDRENC1 as every encrypted file does (if the backup is not"
							+ " encrypted, read the file as it is)");
		}
		int idLength = this.stored.read();
		byte[] id = this.stored.readNBytes(Math.max(idLength, 0));
		String keyId = new String(id, StandardCharsets.US_ASCII);
		if (idLength < 0 || id.length < idLength || !KeyRing.isValidId(keyId)) {
			throw new DamagedFileException(path, 0, "the header's key id is cut short or not a key id");
		}
		byte[] check = this.stored.readNBytes(EncryptionKey.CHECK_BYTES);
		if (check.length < EncryptionKey.CHECK_BYTES) {
			throw new DamagedFileException(path, 0, "the header is cut short");
		}
		this.key = keys.require(keyId, path);
		if (!this.key.matches(check)) {
			throw new EncryptionKeyException(keyId, path + " was encrypted with a key named " + keyId + ", and the key"
					+ " under that id in " + KeyRing.describe(keys.file()) + " does not match it. Either the key under"
					+ " that id was replaced: put the original back under " + keyId + " (to rotate, add a new key under"
					+ " a new id; the key under an id never changes). Or the file's header is damaged, which"
					+ " verifying the backup's checksums shows.");
		}
		this.offset = EncryptedFiles.MAGIC.length + 1 + idLength + EncryptionKey.CHECK_BYTES;
	}

	@Override
	public int read() throws IOException {
		if (!fill()) {
			return -1;
		}
		return this.block[this.position++] & 0xff;
	}

	@Override
	public int read(byte[] bytes, int off, int len) throws IOException {
		Objects.checkFromIndexSize(off, len, bytes.length);
		if (len == 0) {
			return 0;
		}
		if (!fill()) {
			return -1;
		}
		int count = Math.min(len, this.limit - this.position);
		System.arraycopy(this.block, this.position, bytes, off, count);
		this.position += count;
		return count;
	}

	@Override
	public int available() {
		return this.limit - this.position;
	}

	@Override
	public void close() throws IOException {
		this.stored.close();
	}

	/** Makes plaintext available, decrypting blocks (an empty one yields none) until one has some; false at the end. */
	private boolean fill() throws IOException {
		while (this.position == this.limit) {
			if (this.ended || !nextBlock()) {
				this.ended = true;
				return false;
			}
		}
		return true;
	}

	private boolean nextBlock() throws IOException {
		long blockOffset = this.offset;
		byte[] length = this.stored.readNBytes(EncryptedFiles.LENGTH_BYTES);
		if (length.length == 0) {
			return false;
		}
		if (length.length < EncryptedFiles.LENGTH_BYTES) {
			throw cutShort(blockOffset);
		}
		int sealed = ByteBuffer.wrap(length).getInt();
		if (sealed < EncryptedFiles.TAG_BYTES || sealed > EncryptedFiles.MAX_BLOCK_PLAINTEXT + EncryptedFiles.TAG_BYTES) {
			throw new DamagedFileException(this.path, blockOffset, "the block at byte offset " + blockOffset
					+ " gives its length as " + Integer.toUnsignedString(sealed) + " bytes, which no block has");
		}
		byte[] nonce = this.stored.readNBytes(EncryptedFiles.NONCE_BYTES);
		if (this.block.length < sealed) {
			this.block = new byte[sealed];
		}
		if (nonce.length < EncryptedFiles.NONCE_BYTES || this.stored.readNBytes(this.block, 0, sealed) < sealed) {
			throw cutShort(blockOffset);
		}
		try {
			Cipher cipher = EncryptedFiles.cipher();
			cipher.init(Cipher.DECRYPT_MODE, this.key.secret(), new GCMParameterSpec(EncryptedFiles.TAG_BYTES * 8, nonce));
			cipher.updateAAD(EncryptedFiles.aad(this.pathBytes, blockOffset));
			this.limit = cipher.doFinal(this.block, 0, sealed, this.block, 0);
		}
		catch (AEADBadTagException ex) {
			throw new DamagedFileException(this.path, blockOffset, "the block at byte offset " + blockOffset
					+ " does not authenticate (it was changed, or moved from another place or file)");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-256-GCM refused a key or a nonce it always takes", ex);
		}
		this.position = 0;
		this.offset = blockOffset + EncryptedFiles.LENGTH_BYTES + EncryptedFiles.NONCE_BYTES + sealed;
		return true;
	}

	private DamagedFileException cutShort(long blockOffset) {
		return new DamagedFileException(this.path, blockOffset, "the file ends inside the block at byte offset "
				+ blockOffset + ", cut short");
	}

}
