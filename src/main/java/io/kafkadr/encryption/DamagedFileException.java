package io.kafkadr.encryption;

import java.io.IOException;

/**
 * An encrypted file that does not decrypt: a block fails authentication, the file ends inside a
 * block, or its header or a block's length field is not what the format allows. An
 * {@link IOException}, since it is met while reading the file, as any other failure to read it.
 */
public class DamagedFileException extends IOException {

	private final String path;

	private final long offset;

	public DamagedFileException(String path, long offset, String problem) {
		super(path + ": " + problem + ": the file is damaged or was altered");
		this.path = path;
		this.offset = offset;
	}

	/** The file's path within its backup. */
	public String path() {
		return this.path;
	}

	/** The byte offset in the stored file of the header (0) or block that failed. */
	public long offset() {
		return this.offset;
	}

}
