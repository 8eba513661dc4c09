package io.kafkadr.encryption;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The keys of a key file ({@value #SETTING}): lines {@code KEY_ID=BASE64}, each a 256-bit key.
 * The first key encrypts new files; every key decrypts the files that name it, so keys rotate by
 * adding a new first line and keeping the old ones for as long as backups need them.
 *
 * <p>Blank lines and lines starting with {@code #} are ignored, as is whitespace around a line and
 * around its {@code =}. Errors name the file and the line, never the key material.
 */
public final class KeyRing {

	/** The setting that names the key file, for messages that tell a user where to look. */
	public static final String SETTING = "kafka-dr.encryption.key-file";

	/** Key ids: letters, digits, '.', '_' and '-', so that they are safe in file headers, logs and manifests. */
	private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private static final Set<PosixFilePermission> SHARED = Set.of(PosixFilePermission.GROUP_READ,
			PosixFilePermission.OTHERS_READ);

	private static final String GENERATE = "openssl rand -base64 32";

	/** No key file: backups are written in the clear, and an encrypted file cannot be read. */
	public static final KeyRing NONE = new KeyRing(null, Map.of(), null);

	private final Path file;

	private final Map<String, EncryptionKey> keys;

	private final String warning;

	private KeyRing(Path file, Map<String, EncryptionKey> keys, String warning) {
		this.file = file;
		this.keys = keys;
		this.warning = warning;
	}

	/**
	 * Reads a key file. A {@link KeyFileException} says what is wrong with it, where, and what to
	 * do.
	 */
	public static KeyRing load(Path file) {
		if (Files.isDirectory(file)) {
			throw new KeyFileException(capitalized(describe(file)) + " is a directory. Set " + SETTING
					+ " to the file in it that holds the keys: a Kubernetes Secret mounted as a volume is a directory"
					+ " with one file per entry of the Secret, such as " + file.resolve("keys") + ".");
		}
		byte[] content;
		try {
			content = Files.readAllBytes(file);
		}
		catch (NoSuchFileException ex) {
			throw new KeyFileException(capitalized(describe(file)) + " does not exist. Mount the Secret that holds the"
					+ " keys there, or set " + SETTING + " to where it is mounted.");
		}
		catch (AccessDeniedException ex) {
			throw new KeyFileException(capitalized(describe(file)) + " cannot be read: permission denied. Make it"
					+ " readable by the user kafka-dr runs as (on Kubernetes: the Secret volume's defaultMode and the"
					+ " pod's fsGroup).");
		}
		catch (IOException ex) {
			String reason = (ex instanceof FileSystemException fs && fs.getReason() != null) ? fs.getReason()
					: ex.getClass().getSimpleName();
			throw new KeyFileException(capitalized(describe(file)) + " cannot be read (" + reason + "). Check that "
					+ SETTING + " names the file that holds the keys and that it is mounted.");
		}
		Map<String, EncryptionKey> keys = parse(file, content);
		return new KeyRing(file, keys, sharedWarning(file));
	}

	private static Map<String, EncryptionKey> parse(Path file, byte[] content) {
		// ISO-8859-1 decodes any bytes: a stray non-ASCII character is reported on its line below
		// rather than failing the whole file with a decoder's message.
		String[] lines = new String(content, StandardCharsets.ISO_8859_1).split("\n", -1);
		Map<String, EncryptionKey> keys = new LinkedHashMap<>();
		Map<String, Integer> lineOf = new LinkedHashMap<>();
		for (int index = 0; index < lines.length; index++) {
			int number = index + 1;
			String line = lines[index].strip();
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			int equals = line.indexOf('=');
			if (equals < 0) {
				throw KeyFileException.atLine(file, number, "is not KEY_ID=BASE64: it has no '='. Write each key as"
						+ " its id, '=' and the key in base64, e.g. 2026-01= followed by the output of " + GENERATE + ".");
			}
			// The id is never echoed before it is known to be valid, nor when nothing follows '=':
			// a key pasted without an id splits into base64 characters and its '=' padding.
			String id = line.substring(0, equals).strip();
			String value = line.substring(equals + 1).strip();
			if (value.isEmpty()) {
				throw KeyFileException.atLine(file, number, "has no key after its '='. Write the key in base64 after"
						+ " the id and '=', as " + GENERATE + " prints one.");
			}
			if (!isValidId(id)) {
				throw KeyFileException.atLine(file, number, "has an invalid key id (the " + id.length()
						+ " characters before '='). A key id is 1 to 64 letters, digits, '.', '_' or '-', e.g. 2026-01.");
			}
			byte[] material;
			try {
				material = Base64.getDecoder().decode(value);
			}
			catch (IllegalArgumentException ex) {
				// the decoder's message quotes the offending character, a piece of the key
				throw KeyFileException.atLine(file, number, "holds a key for " + id + " that is not base64. Write it in"
						+ " standard base64 (A-Z, a-z, 0-9, '+', '/' and '=' padding), as " + GENERATE + " prints one.");
			}
			if (material.length != EncryptionKey.BYTES) {
				throw KeyFileException.atLine(file, number, "holds a key for " + id + " of " + material.length
						+ " bytes; AES-256 needs " + EncryptionKey.BYTES + ". Generate one with " + GENERATE + ".");
			}
			if (keys.containsKey(id)) {
				throw KeyFileException.atLine(file, number, "repeats the key id " + id + " of line " + lineOf.get(id)
						+ ". Give every key its own id, and never change the key under an id: the files it encrypted"
						+ " need it.");
			}
			keys.put(id, new EncryptionKey(id, material));
			lineOf.put(id, number);
		}
		if (keys.isEmpty()) {
			throw new KeyFileException(capitalized(describe(file)) + " holds no keys. Add a line KEY_ID=BASE64, e.g."
					+ " 2026-01= followed by the output of " + GENERATE + "; the first key encrypts new backups.");
		}
		return keys;
	}

	/**
	 * A key file others can read hands every backup to them; said, not refused: the operator may have
	 * reasons. Group read counts only on a file of this user's own: a Kubernetes Secret volume's files
	 * belong to the kubelet, and the pod's user reads them through its group (fsGroup).
	 */
	private static String sharedWarning(Path file) {
		Set<PosixFilePermission> permissions;
		boolean own;
		try {
			permissions = Files.getPosixFilePermissions(file);
			own = Files.getOwner(file).getName().equals(System.getProperty("user.name"));
		}
		catch (UnsupportedOperationException | IOException ex) {
			return null;
		}
		List<String> readers = new ArrayList<>();
		if (own && permissions.contains(PosixFilePermission.GROUP_READ)) {
			readers.add("its group");
		}
		if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
			readers.add("every user");
		}
		if (readers.isEmpty()) {
			return null;
		}
		return capitalized(describe(file)) + " is readable by " + String.join(" and ", readers) + " ("
				+ PosixFilePermissions.toString(permissions) + "), and its keys decrypt every backup. Make it readable"
				+ " by kafka-dr's user only: chmod 600, or defaultMode: 0400 on the Secret volume.";
	}

	/** The key file. */
	public Path file() {
		return this.file;
	}

	/** Whether there is a key file, so that new backups are encrypted. */
	public boolean encrypts() {
		return !this.keys.isEmpty();
	}

	/** The key that encrypts new files: the key file's first. */
	public EncryptionKey encryptionKey() {
		return this.keys.values().iterator().next();
	}

	/** The key with this id, if the key file holds it. */
	public Optional<EncryptionKey> key(String id) {
		return Optional.ofNullable(this.keys.get(id));
	}

	/** The ids of the keys, in the key file's order. */
	public List<String> ids() {
		return List.copyOf(this.keys.keySet());
	}

	/**
	 * A warning for the caller to log when the key file is readable by its group or by others (on a
	 * file system with POSIX permissions); empty otherwise.
	 */
	public Optional<String> warning() {
		return Optional.ofNullable(this.warning);
	}

	/** Whether a string is a valid key id: 1 to 64 letters, digits, '.', '_' or '-'. */
	static boolean isValidId(String id) {
		return ID.matcher(id).matches();
	}

	/** The key with this id, or an {@link EncryptionKeyException} saying that {@code path} needs it. */
	EncryptionKey require(String id, String path) {
		EncryptionKey key = this.keys.get(id);
		if (this.file == null) {
			throw new EncryptionKeyException(id, path + " is encrypted with the key " + id + ", and no key file is set."
					+ " Set " + SETTING + " to a key file holding the line " + id + "=... (the key file the backup was"
					+ " taken with, or one it was rotated into).");
		}
		if (key == null) {
			throw new EncryptionKeyException(id, path + " is encrypted with the key " + id + ", which "
					+ describe(this.file) + " does not hold (it holds " + String.join(", ", ids()) + "). Add the line "
					+ id + "=... back to it from where the key is kept: a key is needed for as long as a backup it"
					+ " encrypted is kept.");
		}
		return key;
	}

	static String describe(Path file) {
		return "the key file " + file + " (" + SETTING + ")";
	}

	private static String capitalized(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	@Override
	public String toString() {
		return "key ring " + this.file + " " + ids();
	}

}
