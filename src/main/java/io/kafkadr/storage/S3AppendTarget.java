package io.kafkadr.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.kafkadr.storage.S3ObjectStore.StagedBlock;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * An S3 object being appended to. S3 cannot append, and a multipart upload takes parts of at least 5
 * MiB but for the last, while a chunk of a backup is far smaller and must be durable once appended;
 * so the object is one multipart upload, and the bytes appended since its last part (the tail) are
 * both kept here and written, append by append, as small objects of their own (staged blocks, named
 * by {@link S3ObjectStore#stagedKey}). Once the tail reaches the part size it is uploaded as the next
 * part; the staged blocks stay until the object is complete, as a restart from a position before that
 * part needs them to rebuild the tail. Memory is the tail alone: under the part size and one append.
 */
final class S3AppendTarget implements AppendTarget {

	private final S3ObjectStore store;

	private final String key;

	/** The upload and its parts; {@code null} until the first append starts it. */
	private RecordedUpload upload;

	private byte[] tail;

	private int tailLength;

	private Append position;

	private boolean finished;

	/** Set by a failed append: what this target holds may then be ahead of what S3 does. */
	private boolean failed;

	private S3AppendTarget(S3ObjectStore store, String key, RecordedUpload upload, byte[] tail, int tailLength,
			Append position) {
		this.store = store;
		this.key = key;
		this.upload = upload;
		this.tail = tail;
		this.tailLength = tailLength;
		this.position = position;
	}

	/**
	 * Opens {@code key} for appending at {@code committed}: for a new object, discards what an earlier
	 * attempt at it left; else checks that S3 still holds the recorded parts, rebuilds the tail from
	 * its staged blocks and deletes the blocks an uncommitted chunk staged.
	 */
	static S3AppendTarget open(S3ObjectStore store, String key, Append committed) {
		RecordedUpload upload = RecordedUpload.of(committed);
		if (upload == null) {
			if (committed.bytes() != 0) {
				throw new IllegalArgumentException("The position of " + store.describe(key) + " records "
						+ committed.bytes() + " bytes but no upload");
			}
			store.abortUploads(key, key::equals);
			store.deleteStaged(key);
			return new S3AppendTarget(store, key, null, new byte[0], 0, Append.EMPTY);
		}
		long tailBytes = committed.bytes() - upload.partBytes();
		if (tailBytes < 0 || tailBytes > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("The position of " + store.describe(key) + " records "
					+ committed.bytes() + " bytes, which its parts' " + upload.partBytes() + " do not leave a tail of");
		}
		int tailLength = (int) tailBytes;
		checkParts(store, key, upload, committed);
		int current = upload.nextPart();
		List<StagedBlock> blocks = store.staged(key);
		// blocks of earlier parts are in those parts; blocks past the committed tail are an uncommitted chunk's
		Map<Boolean, List<StagedBlock>> needed = blocks.stream()
			.collect(Collectors.partitioningBy((block) -> block.part() == current && block.offset() < tailLength));
		store.deleteBlocks(key, needed.get(false));
		byte[] tail = new byte[tailLength];
		int length = 0;
		for (StagedBlock block : needed.get(true)) {
			if (block.offset() != length) {
				break;
			}
			length += read(store, block, tail, length);
		}
		if (length < tailLength) {
			throw lost(store, key, committed, "of the " + tailLength + " bytes appended after its last part " + length
					+ " are staged in order");
		}
		return new S3AppendTarget(store, key, upload, tail, tailLength, committed);
	}

	/** Checks that S3 holds every part the position records, as it was uploaded. */
	private static void checkParts(S3ObjectStore store, String key, RecordedUpload upload, Append committed) {
		if (upload.parts().isEmpty()) {
			return;
		}
		List<Part> parts = store.uploadedParts(key, upload.id());
		if (parts == null) {
			throw lost(store, key, committed, "its multipart upload " + upload.id() + " is gone (aborted by hand, or by"
					+ " a lifecycle rule such as AbortIncompleteMultipartUpload)");
		}
		Map<Integer, Part> uploaded = parts.stream().collect(Collectors.toMap(Part::partNumber, Function.identity()));
		for (RecordedUpload.Part part : upload.parts()) {
			Part held = uploaded.get(part.n());
			if (held == null || held.size() != part.bytes()
					|| !unquoted(part.etag()).equals(unquoted(held.eTag()))) {
				throw lost(store, key, committed, "part " + part.n() + " of its multipart upload " + upload.id()
						+ " is " + ((held == null) ? "missing" : "not the one uploaded"));
			}
		}
	}

	/** An ETag without the quotes S3 puts around it, which some servers leave off in one answer and not another. */
	private static String unquoted(String etag) {
		return (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\""))
				? etag.substring(1, etag.length() - 1) : etag;
	}

	/** Reads a staged block into the tail, up to the tail's length; returns the bytes read. */
	private static int read(S3ObjectStore store, StagedBlock block, byte[] tail, int offset) {
		try (InputStream in = store.read(block.key())) {
			return in.readNBytes(tail, offset, tail.length - offset);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + store.describe(block.key()), ex);
		}
	}

	private static StorageException lost(S3ObjectStore store, String key, Append committed, String detail) {
		return new StorageException("The S3 object " + store.describe(key) + " was being appended to, and its last"
				+ " committed chunk ended at " + committed.bytes() + " bytes, but " + detail + ": the storage lost data"
				+ " that was written. Delete the backup and take a new one.");
	}

	@Override
	public Append append(byte[] bytes, int offset, int length) {
		checkOpen();
		if (this.finished) {
			throw new IllegalStateException(this.store.describe(this.key) + " is finished: nothing more is appended");
		}
		if (length == 0) {
			return this.position;
		}
		this.failed = true;
		if (this.upload == null) {
			this.upload = new RecordedUpload(this.store.createUpload(this.key), List.of());
		}
		String block = S3ObjectStore.stagedKey(this.key, this.upload.nextPart(), this.tailLength);
		this.store.put(block, bytes, offset, length);
		if (this.tail.length < this.tailLength + length) {
			this.tail = Arrays.copyOf(this.tail, Math.max(this.tailLength + length,
					Math.min(this.store.partSize(), Math.max(this.tail.length * 2, 1 << 16))));
		}
		System.arraycopy(bytes, offset, this.tail, this.tailLength, length);
		this.tailLength += length;
		if (this.tailLength >= this.store.partSize()) {
			uploadTail();
		}
		this.position = this.upload.position(this.tailLength);
		this.failed = false;
		return this.position;
	}

	private void uploadTail() {
		int number = this.upload.nextPart();
		String etag = this.store.uploadPart(this.key, this.upload.id(), number, this.tail, this.tailLength);
		this.upload = this.upload.with(new RecordedUpload.Part(number, etag, this.tailLength));
		this.tailLength = 0;
	}

	@Override
	public Append position() {
		return this.position;
	}

	@Override
	public Append finish() {
		checkOpen();
		if (!this.finished) {
			this.failed = true;
			if (this.tailLength > 0) {
				uploadTail();
				this.position = this.upload.position(0);
			}
			this.finished = true;
			this.failed = false;
		}
		return this.position;
	}

	private void checkOpen() {
		if (this.tail == null) {
			throw new IllegalStateException(this.store.describe(this.key) + " is closed");
		}
		if (this.failed) {
			throw new IllegalStateException("An append to " + this.store.describe(this.key)
					+ " failed: open it again at its committed position");
		}
	}

	@Override
	public void close() {
		this.tail = null;
	}

}
