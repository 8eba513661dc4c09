package io.kafkadr.storage;

import java.util.regex.Pattern;

/**
 * An S3 storage location, {@code s3://BUCKET/PREFIX}: a bucket, and a key prefix that is empty or
 * ends in '/', under which every key of the location lives.
 */
public record S3Location(String bucket, String prefix) {

	private static final String SCHEME = "s3://";

	private static final String FORM = "s3://BUCKET or s3://BUCKET/PREFIX";

	/** S3's rules for new buckets (which MinIO and Ceph follow too): 3 to 63 lowercase letters, digits, '.' and '-'. */
	private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

	public S3Location {
		if (bucket == null || !BUCKET.matcher(bucket).matches()) {
			throw new IllegalArgumentException("Not an S3 bucket name: '" + bucket + "'");
		}
		if (prefix == null || (!prefix.isEmpty() && !prefix.endsWith("/"))) {
			throw new IllegalArgumentException("An S3 location's prefix is empty or ends in '/', not '" + prefix + "'");
		}
	}

	/** Whether a storage location names an S3 location rather than a local directory. */
	public static boolean isS3(String location) {
		return location.startsWith(SCHEME);
	}

	/**
	 * Parses {@code s3://BUCKET} or {@code s3://BUCKET/PREFIX}; the prefix gets its trailing '/' if it
	 * has none.
	 */
	public static S3Location parse(String value) {
		if (value == null || !value.startsWith(SCHEME)) {
			throw invalid(value, "it does not begin with s3://");
		}
		String rest = value.substring(SCHEME.length());
		int slash = rest.indexOf('/');
		String bucket = (slash < 0) ? rest : rest.substring(0, slash);
		String prefix = (slash < 0) ? "" : rest.substring(slash + 1);
		if (bucket.isEmpty()) {
			throw invalid(value, "it names no bucket");
		}
		if (!BUCKET.matcher(bucket).matches()) {
			throw invalid(value, "'" + bucket + "' is not an S3 bucket name (3 to 63 lowercase letters, digits, '.'"
					+ " and '-', beginning and ending with a letter or digit)");
		}
		if (!prefix.isEmpty() && !prefix.endsWith("/")) {
			prefix = prefix + "/";
		}
		String path = "/" + prefix;
		if (path.contains("//") || path.contains("/./") || path.contains("/../")) {
			throw invalid(value, "its prefix has an empty, '.' or '..' part");
		}
		return new S3Location(bucket, prefix);
	}

	private static StorageException invalid(String value, String problem) {
		return new StorageException("The storage location '" + value + "' is not an S3 location: " + problem
				+ ". Write it as " + FORM + ".");
	}

	/** The S3 key of a key of this location. */
	public String key(String key) {
		return this.prefix + key;
	}

	/** The {@code s3://} URI of a key of this location. */
	public String uri(String key) {
		return SCHEME + this.bucket + "/" + this.prefix + key;
	}

	@Override
	public String toString() {
		return uri("");
	}

}
