package io.kafkadr.archive;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files and bytes, as the manifest records them (lower-case hex). */
public final class Checksums {

	private Checksums() {
	}

	public static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK has SHA-256", ex);
		}
	}

	/** The SHA-256 of everything the stream holds; the caller closes it. */
	public static String sha256(InputStream in) throws IOException {
		MessageDigest digest = sha256();
		byte[] buffer = new byte[1 << 16];
		for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
			digest.update(buffer, 0, read);
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	public static String sha256(byte[] bytes) {
		return HexFormat.of().formatHex(sha256().digest(bytes));
	}

}
