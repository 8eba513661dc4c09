package io.kafkadr.encryption;

import java.nio.file.Path;

/**
 * A key file that cannot be used: missing, unreadable or malformed. The message names the file, the
 * line where there is one, and the fix; it never holds key material.
 */
public class KeyFileException extends RuntimeException {

	public KeyFileException(String message) {
		super(message);
	}

	static KeyFileException atLine(Path file, int line, String problem) {
		return new KeyFileException("Line " + line + " of " + KeyRing.describe(file) + " " + problem);
	}

}
