package io.kafkadr.storage;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * An {@link ObjectStore} on an S3 bucket and prefix: AWS S3, or a server with its API (MinIO,
 * Ceph, s3proxy) at an endpoint of its own. Credentials come only from the AWS SDK's default chain
 * (environment, web identity, profile, container or instance role), never from kafka-dr's settings.
 *
 * <p>S3 cannot append to an object, so an appended object is a multipart upload ({@link S3AppendTarget})
 * that {@link #complete} turns into the object.
 */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {

	/** The size of the parts an appended object is uploaded in, unless told otherwise. */
	public static final int DEFAULT_PART_SIZE = 8 << 20;

	/** S3's smallest part, but for an upload's last. */
	public static final int MINIMUM_PART_SIZE = 5 << 20;

	/** How long a lock holds without a renewal, unless told otherwise: a killed run's lock blocks the next that long. */
	public static final Duration DEFAULT_LOCK_LEASE = Duration.ofSeconds(30);

	/**
	 * The shortest lock lease: S3 keeps an object's time to the second, and a lease is renewed every
	 * third of it, so a shorter one could look expired while its holder renews it.
	 */
	public static final Duration MINIMUM_LOCK_LEASE = Duration.ofSeconds(3);

	/** The most keys S3 lists in one page, and deletes in one request. */
	private static final int PAGE = 1000;

	/** Where {@link #checkWritable} writes its probe: a name no backup has. */
	private static final String PROBE = ".kafka-dr/write-probe-";

	/** The end of a staged block's key, after {@link #stagedPrefix}: its part number and its offset in the part. */
	private static final Pattern STAGED = Pattern.compile("(\\d+)\\.(\\d{20})");

	private final S3Location location;

	private final URI endpoint;

	private final Region region;

	private final int partSize;

	private final int pageSize;

	private final Duration lockLease;

	/** The leases this store gave that are not released yet, checked by {@link #requireLocksHeld}. */
	private final Set<S3Lease> leases = ConcurrentHashMap.newKeySet();

	private final AwsCredentialsProvider credentials;

	private final S3Client s3;

	private final S3Failures failures;

	/**
	 * A store on {@code location}, at {@code endpoint} ({@code null}: AWS S3), in {@code region}
	 * ({@code null}: the SDK's default region chain), addressing buckets by path rather than by host
	 * name when {@code pathStyleAccess} (which most S3-compatible servers need).
	 */
	public S3ObjectStore(S3Location location, URI endpoint, String region, boolean pathStyleAccess) {
		this(location, endpoint, region, pathStyleAccess, DEFAULT_PART_SIZE);
	}

	/** A store as {@link #S3ObjectStore(S3Location, URI, String, boolean)}, appending in parts of {@code partSize}. */
	public S3ObjectStore(S3Location location, URI endpoint, String region, boolean pathStyleAccess, int partSize) {
		this(location, endpoint, region, pathStyleAccess, partSize, DEFAULT_LOCK_LEASE);
	}

	/**
	 * A store as {@link #S3ObjectStore(S3Location, URI, String, boolean, int)}, whose locks are
	 * leases of {@code lockLease} ({@link #lock}).
	 */
	public S3ObjectStore(S3Location location, URI endpoint, String region, boolean pathStyleAccess, int partSize,
			Duration lockLease) {
		this(location, endpoint, region, pathStyleAccess, partSize, PAGE, lockLease,
				DefaultCredentialsProvider.builder().build(), (client) -> {
				});
	}

	/**
	 * A store with the credentials given rather than the default chain's, listing and deleting
	 * {@code pageSize} keys at a time, with {@code client} applied to the client's settings last.
	 */
	S3ObjectStore(S3Location location, URI endpoint, String region, boolean pathStyleAccess, int partSize, int pageSize,
			AwsCredentialsProvider credentials, Consumer<S3ClientBuilder> client) {
		this(location, endpoint, region, pathStyleAccess, partSize, pageSize, DEFAULT_LOCK_LEASE, credentials, client);
	}

	/** A store as the one before, whose locks are leases of {@code lockLease}. */
	S3ObjectStore(S3Location location, URI endpoint, String region, boolean pathStyleAccess, int partSize, int pageSize,
			Duration lockLease, AwsCredentialsProvider credentials, Consumer<S3ClientBuilder> client) {
		if (partSize < MINIMUM_PART_SIZE) {
			throw new StorageException("kafka-dr.storage.s3.part-size is " + partSize + " bytes, but S3 takes parts of at"
					+ " least 5MB (" + MINIMUM_PART_SIZE + " bytes) but for an upload's last. Set it to 5MB or more.");
		}
		if (lockLease.compareTo(MINIMUM_LOCK_LEASE) < 0) {
			throw new StorageException("kafka-dr.storage.s3.lock-lease is " + lockLease.toMillis() + " ms, but a lock's"
					+ " lease must last at least " + MINIMUM_LOCK_LEASE.toSeconds() + " s: S3 keeps times to the second,"
					+ " and the lease is renewed every third of it. Set it to " + MINIMUM_LOCK_LEASE.toSeconds()
					+ "s or more (the default, " + DEFAULT_LOCK_LEASE.toSeconds() + "s, suits most).");
		}
		if (pageSize < 1 || pageSize > PAGE) {
			throw new IllegalArgumentException(
					"S3 lists and deletes 1 to " + PAGE + " keys at a time, not " + pageSize);
		}
		this.location = location;
		this.endpoint = endpoint;
		this.region = region(location, endpoint, region);
		this.failures = new S3Failures(location, endpoint, this.region);
		this.partSize = partSize;
		this.pageSize = pageSize;
		this.lockLease = lockLease;
		this.credentials = credentials;
		S3ClientBuilder builder = S3Client.builder()
			.httpClientBuilder(Apache5HttpClient.builder())
			.region(this.region)
			.credentialsProvider(credentials)
			.forcePathStyle(pathStyleAccess);
		if (endpoint != null) {
			builder.endpointOverride(endpoint);
		}
		client.accept(builder);
		this.s3 = builder.build();
	}

	private static Region region(S3Location location, URI endpoint, String configured) {
		if (configured != null && !configured.isBlank()) {
			return Region.of(configured.strip());
		}
		try {
			return DefaultAwsRegionProviderChain.builder().build().getRegion();
		}
		catch (SdkClientException ex) {
			if (endpoint != null) {
				// S3-compatible servers (MinIO, Ceph, s3proxy) sign with a region too but mostly take any, and
				// us-east-1 is the one they default to
				return Region.US_EAST_1;
			}
			throw new StorageException("No AWS region for the storage location " + location
					+ ": give kafka-dr the bucket's region, or set AWS_REGION (or the region of the AWS profile in"
					+ " ~/.aws/config).", ex);
		}
	}

	public S3Location location() {
		return this.location;
	}

	@Override
	public String describe(String key) {
		return this.location.uri(key);
	}

	@Override
	public boolean exists(String key) {
		return head(key) != null;
	}

	@Override
	public long size(String key) {
		HeadObjectResponse head = head(key);
		if (head == null) {
			throw missing(key);
		}
		return head.contentLength();
	}

	/** The object's metadata; {@code null} when there is no such object. */
	private HeadObjectResponse head(String key) {
		try {
			return this.s3.headObject((request) -> request.bucket(this.location.bucket()).key(this.location.key(key)));
		}
		catch (NoSuchKeyException ex) {
			return null;
		}
		catch (SdkException ex) {
			throw failure("read", key, ex);
		}
	}

	@Override
	public List<StoredObject> list(String prefix) {
		List<StoredObject> objects = new ArrayList<>();
		listing("list", prefix, (object) -> {
			// an S3 console's "folder": an empty object whose key ends in '/', not one of the location's objects
			if (!object.key().endsWith("/")) {
				objects.add(new StoredObject(relative(object.key()), object.size(), object.lastModified()));
			}
		});
		// the order S3 promises is that of UTF-8 bytes; kafka-dr's is String's, as a local directory's
		objects.sort(Comparator.comparing(StoredObject::key));
		return objects;
	}

	/** Hands every object under {@code prefix} to {@code each}, page by page. */
	private void listing(String action, String prefix, Consumer<S3Object> each) {
		call(action, prefix, () -> {
			this.s3
				.listObjectsV2Paginator((request) -> request.bucket(this.location.bucket())
					.prefix(this.location.key(prefix))
					.maxKeys(this.pageSize))
				.contents()
				.forEach(each);
			return null;
		});
	}

	@Override
	public List<String> directories(String prefix) {
		String under = this.location.key(prefix);
		List<String> names = new ArrayList<>();
		call("list", prefix, () -> {
			for (CommonPrefix common : this.s3
				.listObjectsV2Paginator((request) -> request.bucket(this.location.bucket())
					.prefix(under)
					.delimiter("/")
					.maxKeys(this.pageSize))
				.commonPrefixes()) {
				names.add(common.prefix().substring(under.length(), common.prefix().length() - 1));
			}
			return null;
		});
		names.sort(Comparator.naturalOrder());
		return names;
	}

	@Override
	public InputStream read(String key) {
		try {
			return new ObjectContent(
					this.s3.getObject((request) -> request.bucket(this.location.bucket()).key(this.location.key(key))));
		}
		catch (NoSuchKeyException ex) {
			throw missing(key);
		}
		catch (SdkException ex) {
			throw failure("read", key, ex);
		}
	}

	/**
	 * An object's content as GetObject streams it. Closed before its end, it drops the connection:
	 * the HTTP client would otherwise read the rest of the object to reuse it.
	 */
	private static final class ObjectContent extends FilterInputStream {

		private final ResponseInputStream<GetObjectResponse> response;

		private long remaining;

		ObjectContent(ResponseInputStream<GetObjectResponse> response) {
			super(response);
			this.response = response;
			Long length = response.response().contentLength();
			this.remaining = (length != null) ? length : Long.MAX_VALUE;
		}

		@Override
		public int read() throws IOException {
			int read = super.read();
			this.remaining -= (read < 0) ? this.remaining : 1;
			return read;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int read = super.read(buffer, offset, length);
			this.remaining -= (read < 0) ? this.remaining : read;
			return read;
		}

		@Override
		public long skip(long count) throws IOException {
			long skipped = super.skip(count);
			this.remaining -= skipped;
			return skipped;
		}

		@Override
		public void close() throws IOException {
			if (this.remaining > 0) {
				this.response.abort();
			}
			super.close();
		}

	}

	@Override
	public void write(String key, byte[] content) {
		put(key, content, 0, content.length);
	}

	/** Writes an object from part of an array: a single PutObject, which S3 makes visible whole or not at all. */
	void put(String key, byte[] bytes, int offset, int length) {
		call("write", key, () -> this.s3.putObject(
				(request) -> request.bucket(this.location.bucket()).key(this.location.key(key)),
				body(bytes, offset, length)));
	}

	/** A request body over part of an array, which the SDK reads (to sign, to send, to retry) without copying it. */
	static RequestBody body(byte[] bytes, int offset, int length) {
		return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, offset, length), length,
				"application/octet-stream");
	}

	/** S3 cannot append: the object is read and written again whole, which is why it must stay small. */
	@Override
	public void extend(String key, byte[] bytes) {
		byte[] before = new byte[0];
		if (exists(key)) {
			try (InputStream in = read(key)) {
				before = in.readAllBytes();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read " + describe(key), ex);
			}
		}
		byte[] content = Arrays.copyOf(before, before.length + bytes.length);
		System.arraycopy(bytes, 0, content, before.length, bytes.length);
		write(key, content);
	}

	@Override
	public void delete(String key) {
		call("delete", key, () -> this.s3
			.deleteObject((request) -> request.bucket(this.location.bucket()).key(this.location.key(key))));
	}

	@Override
	public void deleteAll(String prefix) {
		if (!prefix.endsWith("/")) {
			throw new IllegalArgumentException("deleteAll takes a prefix ending in '/', not '" + prefix + "'");
		}
		abortUploads(prefix, (key) -> true);
		List<String> keys = new ArrayList<>();
		listing("delete", prefix, (object) -> {
			keys.add(object.key());
			if (keys.size() == this.pageSize) {
				deleteKeys(prefix, keys);
				keys.clear();
			}
		});
		deleteKeys(prefix, keys);
	}

	/** Deletes objects by their S3 keys, at most a page of them, in one request. */
	private void deleteKeys(String prefix, List<String> keys) {
		if (keys.isEmpty()) {
			return;
		}
		List<ObjectIdentifier> objects = keys.stream()
			.map((key) -> ObjectIdentifier.builder().key(key).build())
			.toList();
		DeleteObjectsResponse response = call("delete", prefix,
				() -> this.s3.deleteObjects((request) -> request.bucket(this.location.bucket())
					.delete((delete) -> delete.objects(objects).quiet(true))));
		if (response.hasErrors() && !response.errors().isEmpty()) {
			var error = response.errors().get(0);
			String message = "S3 deleted not all objects under " + describe(prefix) + ": " + response.errors().size()
					+ " remain, such as " + error.key() + " (" + error.code() + ": " + error.message() + ")";
			throw new UncheckedIOException(message, new IOException(message));
		}
	}

	@Override
	public AppendTarget append(String key, Append committed) {
		return S3AppendTarget.open(this, key, committed);
	}

	int partSize() {
		return this.partSize;
	}

	/** Starts a multipart upload of an object; returns its id. */
	String createUpload(String key) {
		return call("start appending to", key,
				() -> this.s3
					.createMultipartUpload(
							(request) -> request.bucket(this.location.bucket()).key(this.location.key(key)))
					.uploadId());
	}

	/** Uploads part of an array as part {@code number} of an upload; returns the part's ETag. */
	String uploadPart(String key, String uploadId, int number, byte[] bytes, int length) {
		return call("append to", key, () -> this.s3.uploadPart((request) -> request.bucket(this.location.bucket())
			.key(this.location.key(key))
			.uploadId(uploadId)
			.partNumber(number), body(bytes, 0, length))).eTag();
	}

	/**
	 * The parts S3 holds of an upload, by number; {@code null} when the upload is gone (S3 answers so;
	 * some servers answer with no parts instead).
	 */
	List<Part> uploadedParts(String key, String uploadId) {
		try {
			List<Part> parts = new ArrayList<>();
			this.s3
				.listPartsPaginator((request) -> request.bucket(this.location.bucket())
					.key(this.location.key(key))
					.uploadId(uploadId))
				.parts()
				.forEach(parts::add);
			return parts;
		}
		catch (NoSuchUploadException ex) {
			return null;
		}
		catch (SdkException ex) {
			throw failure("resume appending to", key, ex);
		}
	}

	@Override
	public void complete(String key, Append finished) {
		RecordedUpload upload = RecordedUpload.of(finished);
		if (upload == null || upload.parts().isEmpty()) {
			// S3 completes no upload without parts: an object nothing was appended to is an empty object
			write(key, new byte[0]);
			if (upload != null) {
				abort(key, upload.id());
			}
		}
		else {
			if (upload.partBytes() != finished.bytes()) {
				throw new IllegalArgumentException("Not a finished position of " + describe(key) + ": "
						+ (finished.bytes() - upload.partBytes()) + " bytes were never uploaded as a part");
			}
			List<CompletedPart> parts = upload.parts()
				.stream()
				.map((part) -> CompletedPart.builder().partNumber(part.n()).eTag(part.etag()).build())
				.toList();
			try {
				this.s3.completeMultipartUpload((request) -> request.bucket(this.location.bucket())
					.key(this.location.key(key))
					.uploadId(upload.id())
					.multipartUpload((multipart) -> multipart.parts(parts)));
			}
			catch (S3Exception ex) {
				if (this.failures.problem(ex) != null || ex.statusCode() >= 500) {
					throw failure("complete", key, ex);
				}
				if (!completedBefore(key, upload.id(), finished.bytes())) {
					throw new StorageException("Cannot complete the S3 object " + describe(key) + " from its multipart"
							+ " upload " + upload.id() + " (" + S3Failures.reason(ex) + "), and no object of its "
							+ finished.bytes() + " bytes is there: the storage lost data that was written. Delete the"
							+ " backup and take a new one.", ex);
				}
			}
			catch (SdkException ex) {
				throw failure("complete", key, ex);
			}
		}
		deleteStaged(key);
	}

	/**
	 * Whether a completion that failed had run before: the upload is gone and the object is there
	 * with its length. (S3 answers NoSuchUpload to a second completion, s3proxy NoSuchKey.)
	 */
	private boolean completedBefore(String key, String uploadId, long bytes) {
		if (uploads(key).stream().anyMatch((upload) -> upload.uploadId().equals(uploadId))) {
			return false;
		}
		HeadObjectResponse head = head(key);
		return head != null && head.contentLength() == bytes;
	}

	@Override
	public List<String> unfinishedAppends(String prefix) {
		return uploadsUnder(prefix).stream().map((upload) -> relative(upload.key())).distinct().sorted().toList();
	}

	@Override
	public void discard(String key) {
		delete(key);
		abortUploads(key, key::equals);
		deleteStaged(key);
	}

	/** The uploads in progress of exactly this key. */
	private List<MultipartUpload> uploads(String key) {
		String s3Key = this.location.key(key);
		return uploadsUnder(key).stream().filter((upload) -> upload.key().equals(s3Key)).toList();
	}

	/** Aborts the uploads in progress under {@code prefix} whose (location-relative) keys pass {@code keys}. */
	void abortUploads(String prefix, Predicate<String> keys) {
		for (MultipartUpload upload : uploadsUnder(prefix)) {
			String key = relative(upload.key());
			if (keys.test(key)) {
				abort(key, upload.uploadId());
			}
		}
	}

	/** The uploads in progress of the keys under {@code prefix}. */
	private List<MultipartUpload> uploadsUnder(String prefix) {
		List<MultipartUpload> uploads = new ArrayList<>();
		call("list the multipart uploads under", prefix, () -> {
			this.s3
				.listMultipartUploadsPaginator(
						(request) -> request.bucket(this.location.bucket()).prefix(this.location.key(prefix)))
				.uploads()
				.forEach(uploads::add);
			return null;
		});
		return uploads;
	}

	/** Aborts an upload; one already gone is no error. */
	private void abort(String key, String uploadId) {
		try {
			this.s3.abortMultipartUpload((request) -> request.bucket(this.location.bucket())
				.key(this.location.key(key))
				.uploadId(uploadId));
		}
		catch (NoSuchUploadException ex) {
			// aborted or completed already
		}
		catch (SdkException ex) {
			throw failure("abort the upload of", key, ex);
		}
	}

	/**
	 * The key of the object staging the bytes appended at {@code offset} of part {@code part} of
	 * {@code key}: a ".tmp-" name beside it, which the archive treats as the leftover of an unfinished
	 * write.
	 */
	static String stagedKey(String key, int part, long offset) {
		return stagedPrefix(key) + part + "." + String.format("%020d", offset);
	}

	private static String stagedPrefix(String key) {
		int slash = key.lastIndexOf('/');
		return key.substring(0, slash + 1) + TEMPORARY_PREFIX + key.substring(slash + 1) + ".";
	}

	/** The blocks staged for an appended object, in part and offset order. */
	List<StagedBlock> staged(String key) {
		String prefix = stagedPrefix(key);
		List<StagedBlock> blocks = new ArrayList<>();
		listing("list the appended blocks of", prefix, (object) -> {
			// the prefix also takes other objects' blocks, such as those of "name.1" for "name"
			Matcher matcher = STAGED.matcher(relative(object.key()).substring(prefix.length()));
			if (matcher.matches()) {
				blocks.add(new StagedBlock(relative(object.key()), Integer.parseInt(matcher.group(1)),
						Long.parseLong(matcher.group(2)), object.size()));
			}
		});
		blocks.sort(Comparator.comparingInt(StagedBlock::part).thenComparingLong(StagedBlock::offset));
		return blocks;
	}

	/** Deletes blocks staged for an appended object. */
	void deleteBlocks(String key, List<StagedBlock> blocks) {
		List<String> keys = blocks.stream().map((block) -> this.location.key(block.key())).toList();
		for (int from = 0; from < keys.size(); from += this.pageSize) {
			deleteKeys(key, keys.subList(from, Math.min(keys.size(), from + this.pageSize)));
		}
	}

	/** Deletes every block staged for an appended object. */
	void deleteStaged(String key) {
		deleteBlocks(key, staged(key));
	}

	/** A block staged for an appended object: its own key, the part it belongs to, its offset in it and its length. */
	record StagedBlock(String key, int part, long offset, long size) {
	}

	/** Proves the location readable: the bucket there and listable with these credentials. */
	void checkReadable() {
		try {
			this.credentials.resolveCredentials();
		}
		catch (SdkException ex) {
			throw new StorageException("No AWS credentials for the storage location " + this.location + " ("
					+ S3Failures.reason(ex) + "). " + S3Failures.CREDENTIAL_SOURCES + " Provide credentials through one of them.", ex);
		}
		check(() -> this.s3.listObjectsV2(
				(request) -> request.bucket(this.location.bucket()).prefix(this.location.prefix()).maxKeys(1)));
	}

	@Override
	public void checkWritable() {
		checkReadable();
		String probe = this.location.key(PROBE + UUID.randomUUID());
		check(() -> {
			this.s3.putObject((request) -> request.bucket(this.location.bucket()).key(probe),
					RequestBody.fromBytes("kafka-dr".getBytes(StandardCharsets.US_ASCII)));
			this.s3.deleteObject((request) -> request.bucket(this.location.bucket()).key(probe));
			// appending needs multipart uploads, and deleting a backup to abort them
			String uploadId = this.s3
				.createMultipartUpload((request) -> request.bucket(this.location.bucket()).key(probe))
				.uploadId();
			this.s3.abortMultipartUpload(
					(request) -> request.bucket(this.location.bucket()).key(probe).uploadId(uploadId));
			return null;
		});
	}

	/**
	 * A lease on {@code .kafka-dr/<purpose>.lock} under the location's prefix, held by conditional
	 * writes ({@code If-None-Match}, {@code If-Match}) and renewed every third of the lock lease by a
	 * daemon thread: a run that dies stops renewing it, and the next run takes it over once it has
	 * gone unrenewed for the lease. Taking a lock another run holds waits up to a lease and a renewal
	 * interval to tell whether that run lives.
	 * @throws StorageException also when the server does not honour conditional writes
	 */
	@Override
	public StorageLock lock(String purpose, String holder) {
		S3Lease lease = S3Lease.acquire(this, this.s3, purpose, holder, this.lockLease);
		this.leases.add(lease);
		return lease;
	}

	@Override
	public void requireLocksHeld() {
		this.leases.removeIf(S3Lease::closed);
		for (S3Lease lease : this.leases) {
			if (!lease.held()) {
				throw new StorageException("This run lost its lock on " + describe("") + " (" + lease.purpose() + "): it"
						+ " could not renew it for longer than the lease, and another run may have taken it over. It"
						+ " stops here rather than write beside that run; run the same command again once no other run"
						+ " is writing, and it resumes from its last committed chunk.");
			}
		}
	}

	/** Runs the requests of a check; a failure becomes a message naming the problem and its fix. */
	private void check(Supplier<?> requests) {
		try {
			requests.get();
		}
		catch (SdkException ex) {
			throw this.failures.checkFailed(ex);
		}
	}


	/** Runs a request on a key, turning its failure into kafka-dr's. */
	private <T> T call(String action, String key, Supplier<T> request) {
		try {
			return request.get();
		}
		catch (SdkException ex) {
			throw failure(action, key, ex);
		}
	}

	/** A failure to do {@code action} with a key, as {@link S3Failures#failure} words it. */
	RuntimeException failure(String action, String key, SdkException ex) {
		return this.failures.failure(action, describe(key), ex);
	}

	/** The server, for messages: the endpoint, or AWS S3 and the region. */
	String where() {
		return this.failures.where();
	}

	private UncheckedIOException missing(String key) {
		return new UncheckedIOException(new NoSuchFileException(describe(key), null, "no such object"));
	}

	/** The key of the location an S3 key of it has. */
	private String relative(String s3Key) {
		return s3Key.substring(this.location.prefix().length());
	}

	@Override
	public void close() {
		this.s3.close();
		if (this.credentials instanceof SdkAutoCloseable closeable) {
			closeable.close();
		}
	}

}
