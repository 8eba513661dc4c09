package io.kafkadr.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.kafkadr.testing.S3Sandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The S3 store against a real S3 API server (s3proxy in a child process): objects, listings and
 * deletes, appends through multipart uploads at S3's real 5 MiB part size, resumes after a target
 * is abandoned mid-part, and the checks' messages for each way a location can be unusable.
 */
@Tag("integration")
class S3ObjectStoreTest {

	/** The SDK's own settings: s3proxy 4 takes its default checksums. */
	private static final Consumer<S3ClientBuilder> SDK_DEFAULTS = (builder) -> {
	};

	private static final String BUCKET = "kafka-dr-tests";

	private static final int PART = S3ObjectStore.MINIMUM_PART_SIZE;

	/** Small pages, so that listings and batch deletes take several requests even here. */
	private static final int PAGE = 3;

	private static final int CHUNK = 700 * 1024;

	private static S3Sandbox s3;

	private S3ObjectStore store;

	@BeforeAll
	static void start() {
		s3 = S3Sandbox.start();
		s3.createBucket(BUCKET);
	}

	@AfterAll
	static void stop() {
		if (s3 != null) {
			s3.close();
		}
	}

	@BeforeEach
	void open(TestInfo test) {
		this.store = store(location(test), s3.credentials(), SDK_DEFAULTS);
	}

	@AfterEach
	void close() {
		this.store.close();
	}

	/** Each test's own prefix of the bucket, so that none sees another's objects. */
	private static S3Location location(TestInfo test) {
		return S3Location.parse("s3://" + BUCKET + "/" + test.getTestMethod().orElseThrow().getName());
	}

	private static S3ObjectStore store(S3Location location, AwsCredentialsProvider credentials,
			Consumer<S3ClientBuilder> client) {
		return new S3ObjectStore(location, s3.endpoint(), "us-east-1", true, PART, PAGE, credentials, client);
	}

	@Test
	void writtenObjectsAreReadListedAndDeleted() throws IOException {
		for (String key : List.of("a", "dir/b", "dir/c", "dir/sub/d", "dir2/e", "dir3/f", "dir4/g")) {
			this.store.write(key, key.getBytes(StandardCharsets.UTF_8));
		}
		this.store.write("dir/b", "replaced".getBytes(StandardCharsets.UTF_8));

		assertThat(this.store.exists("dir/c")).isTrue();
		assertThat(this.store.exists("dir/x")).isFalse();
		assertThat(this.store.size("dir/b")).isEqualTo(8);
		try (InputStream in = this.store.read("dir/b")) {
			assertThat(in.readAllBytes()).asString(StandardCharsets.UTF_8).isEqualTo("replaced");
		}
		assertThat(this.store.list("dir/")).extracting(StoredObject::key, StoredObject::size)
			.containsExactly(tuple("dir/b", 8L), tuple("dir/c", 5L), tuple("dir/sub/d", 9L));
		assertThat(this.store.list("")).extracting(StoredObject::key)
			.containsExactly("a", "dir/b", "dir/c", "dir/sub/d", "dir2/e", "dir3/f", "dir4/g");
		assertThat(this.store.list("dir/").get(0).lastModified()).isNotNull();
		assertThat(this.store.directories("")).containsExactly("dir", "dir2", "dir3", "dir4");
		assertThat(this.store.directories("dir/")).containsExactly("sub");
		assertThat(this.store.describe("dir/b"))
			.isEqualTo("s3://" + BUCKET + "/writtenObjectsAreReadListedAndDeleted/dir/b");

		this.store.delete("dir/b");
		this.store.delete("never-written");
		assertThat(this.store.exists("dir/b")).isFalse();
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> this.store.read("dir/b"))
			.withCauseInstanceOf(NoSuchFileException.class)
			.withMessageContaining(this.store.describe("dir/b"));
		assertThatExceptionOfType(UncheckedIOException.class).isThrownBy(() -> this.store.size("dir/b"))
			.withCauseInstanceOf(NoSuchFileException.class);
	}

	@Test
	void deleteAllDeletesEveryObjectUnderThePrefixAndAbortsItsUploads() {
		for (int i = 0; i < 8; i++) {
			this.store.write("backup/topics/t/" + i, new byte[] { (byte) i });
		}
		this.store.write("backup-2/kept", new byte[1]);
		this.store.write("kept", new byte[1]);
		try (AppendTarget target = this.store.append("backup/topics/t/segment", Append.EMPTY)) {
			target.append(new byte[100], 0, 100);
		}
		assertThat(this.store.unfinishedAppends("backup/")).containsExactly("backup/topics/t/segment");

		this.store.deleteAll("backup/");

		assertThat(this.store.list("backup/")).isEmpty();
		assertThat(this.store.unfinishedAppends("")).isEmpty();
		assertThat(this.store.list("")).extracting(StoredObject::key).containsExactly("backup-2/kept", "kept");
	}

	@Test
	void appendedObjectIsReadableWhole() throws IOException {
		byte[] data = random(12 * 1024 * 1024 + 12345, 1);
		String key = "backup/topics/orders/0/00000000000000000000.jsonl.zst";
		Append finished;
		try (AppendTarget target = this.store.append(key, Append.EMPTY)) {
			long appended = 0;
			for (int offset = 0; offset < data.length; offset += CHUNK) {
				int length = Math.min(CHUNK, data.length - offset);
				Append position = target.append(data, offset, length);
				appended += length;
				assertThat(position.bytes()).isEqualTo(appended);
				assertThat(target.position()).isEqualTo(position);
			}
			// appended, durable, but not yet the object
			assertThat(this.store.exists(key)).isFalse();
			assertThat(this.store.unfinishedAppends("backup/")).containsExactly(key);
			finished = target.finish();
		}
		assertThat(finished.bytes()).isEqualTo(data.length);
		List<RecordedUpload.Part> parts = RecordedUpload.of(finished).parts();
		assertThat(parts).hasSize(3);
		assertThat(parts.subList(0, 2)).allSatisfy((part) -> assertThat(part.bytes()).isGreaterThanOrEqualTo(PART));

		this.store.complete(key, finished);

		// a reader that stops early (closing drops the connection rather than reading 12 MiB on)
		try (InputStream in = this.store.read(key)) {
			assertThat(in.readNBytes(100)).isEqualTo(Arrays.copyOf(data, 100));
		}
		assertThat(read(key)).isEqualTo(data);
		assertThat(this.store.size(key)).isEqualTo(data.length);
		// the staged blocks are gone with the upload
		assertThat(this.store.list("")).extracting(StoredObject::key).containsExactly(key);
		assertThat(this.store.unfinishedAppends("")).isEmpty();
	}

	@Test
	void resumedAppendsEndAsAnUninterruptedRunDoes() throws IOException {
		byte[] data = random(13 * 1024 * 1024, 2);
		String key = "segments/0.jsonl.zst";
		int chunks = (data.length + CHUNK - 1) / CHUNK;

		// a job commits after chunk 10 (part 1 was uploaded at chunk 8, the tail is mid-part 2); then chunks
		// that never commit (other bytes: a resumed job need not cut its chunks as the killed one did) take it
		// past the upload of part 2 into part 3, and it is killed
		Append committed;
		try (AppendTarget target = this.store.append(key, Append.EMPTY)) {
			committed = appendChunks(target, data, 0, 10);
			appendOthers(target, 7, CHUNK);
		}
		assertThat(RecordedUpload.of(committed).parts()).hasSize(1);
		assertThat(stagedKeys()).anyMatch((name) -> name.startsWith(".tmp-0.jsonl.zst.3."));

		// the resumed job: the blocks of the uncommitted chunks are gone, those of the committed tail stay
		Append second;
		try (AppendTarget target = this.store.append(key, committed)) {
			assertThat(target.position()).isEqualTo(committed);
			long tail = committed.bytes() - RecordedUpload.of(committed).partBytes();
			assertThat(stagedKeys()).hasSize(2)
				.allSatisfy((name) -> assertThat(name).startsWith(".tmp-0.jsonl.zst.2."))
				.allSatisfy((name) -> assertThat(Long.parseLong(name.substring(name.lastIndexOf('.') + 1)))
					.isLessThan(tail));
			// it commits the chunk whose append uploaded part 2 again, appends more that never commits, and is killed
			second = appendChunks(target, data, 10, 16);
			appendOthers(target, 3, 300_000);
		}
		assertThat(RecordedUpload.of(second).parts()).hasSize(2);
		assertThat(second.bytes()).isEqualTo(RecordedUpload.of(second).partBytes());

		Append finished;
		try (AppendTarget target = this.store.append(key, second)) {
			appendChunks(target, data, 16, chunks);
			finished = target.finish();
		}
		this.store.complete(key, finished);

		assertThat(read(key)).isEqualTo(data);
		assertThat(stagedKeys()).isEmpty();
		assertThat(this.store.unfinishedAppends("")).isEmpty();
	}

	@Test
	void completingAgainIsHarmless() throws IOException {
		byte[] data = random(300_000, 3);
		Append finished;
		try (AppendTarget target = this.store.append("x/object", Append.EMPTY)) {
			target.append(data, 0, 100_000);
			target.append(data, 100_000, 200_000);
			finished = target.finish();
			assertThat(target.finish()).isEqualTo(finished);
		}
		this.store.complete("x/object", finished);
		this.store.complete("x/object", finished);
		try (S3ObjectStore resumed = store(this.store.location(), s3.credentials(), SDK_DEFAULTS)) {
			resumed.complete("x/object", finished);
		}
		assertThat(read("x/object")).isEqualTo(data);
	}

	@Test
	void completingAnObjectThatIsNotThereNamesItsKey() {
		Append finished;
		try (AppendTarget target = this.store.append("x/object", Append.EMPTY)) {
			target.append(new byte[10], 0, 10);
			finished = target.finish();
		}
		this.store.discard("x/object");
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> this.store.complete("x/object", finished))
			.withMessageContaining(this.store.describe("x/object"))
			.withMessageContaining("Delete the backup and take a new one");
	}

	@Test
	void anObjectNothingWasAppendedToIsEmpty() throws IOException {
		Append finished;
		try (AppendTarget target = this.store.append("empty", Append.EMPTY)) {
			assertThat(target.append(new byte[10], 5, 0)).isEqualTo(Append.EMPTY);
			finished = target.finish();
		}
		assertThat(this.store.unfinishedAppends("")).isEmpty();
		this.store.complete("empty", finished);
		this.store.complete("empty", finished);
		assertThat(this.store.size("empty")).isZero();
		assertThat(read("empty")).isEmpty();
	}

	@Test
	void unfinishedAppendsAreFoundAndDiscarded() {
		byte[] data = random(PART + 1000, 4);
		List<AppendTarget> targets = new ArrayList<>();
		for (String key : List.of("b/x", "b/y", "c/z")) {
			AppendTarget target = this.store.append(key, Append.EMPTY);
			target.append(data, 0, key.equals("b/y") ? data.length : 1000);
			targets.add(target);
		}
		targets.forEach(AppendTarget::close);
		this.store.write("b/y", new byte[3]);

		assertThat(this.store.unfinishedAppends("b/")).containsExactly("b/x", "b/y");
		this.store.discard("b/x");
		this.store.discard("b/y");

		assertThat(this.store.unfinishedAppends("")).containsExactly("c/z");
		assertThat(this.store.list("b/")).isEmpty();
	}

	@Test
	void appendingANewObjectAgainDiscardsWhatTheEarlierAttemptLeft() throws IOException {
		try (AppendTarget target = this.store.append("object", Append.EMPTY)) {
			target.append(random(PART, 5), 0, PART);
			target.append(new byte[1000], 0, 1000);
		}
		byte[] data = random(2000, 6);
		Append finished;
		try (AppendTarget target = this.store.append("object", Append.EMPTY)) {
			assertThat(this.store.unfinishedAppends("")).isEmpty();
			assertThat(stagedKeys()).isEmpty();
			target.append(data, 0, data.length);
			finished = target.finish();
		}
		this.store.complete("object", finished);
		assertThat(read("object")).isEqualTo(data);
	}

	@Test
	void aLostStagedBlockIsLostData() {
		Append committed;
		try (AppendTarget target = this.store.append("object", Append.EMPTY)) {
			target.append(new byte[1000], 0, 1000);
			committed = target.append(new byte[1000], 0, 1000);
		}
		this.store.delete(stagedKeys().get(0));

		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> this.store.append("object", committed))
			.withMessageContaining(this.store.describe("object"))
			.withMessageContaining("the storage lost data that was written")
			.withMessageContaining("Delete the backup and take a new one");
	}

	@Test
	void checkWritableProvesTheLocationAndLeavesNothing() {
		this.store.checkReadable();
		this.store.checkWritable();

		assertThat(this.store.list("")).isEmpty();
		assertThat(this.store.unfinishedAppends("")).isEmpty();
	}

	@Test
	void aMissingBucketIsNamedWithTheEndpoint() {
		try (S3ObjectStore missing = store(S3Location.parse("s3://no-such-bucket/backups"), s3.credentials(),
				SDK_DEFAULTS)) {
			assertThatExceptionOfType(StorageException.class).isThrownBy(missing::checkWritable)
				.withMessageContaining("The S3 bucket no-such-bucket does not exist at " + s3.endpoint())
				.withMessageContaining("Create it");
			assertThatExceptionOfType(StorageException.class).isThrownBy(missing::checkReadable)
				.withMessageContaining("no-such-bucket");
		}
	}

	@Test
	void aWrongSecretIsAccessDeniedNamingTheDefaultChain(TestInfo test) {
		try (S3ObjectStore denied = store(location(test), s3.wrongSecret(), SDK_DEFAULTS)) {
			assertThatExceptionOfType(StorageException.class).isThrownBy(denied::checkWritable)
				.withMessageContaining("denied access to s3://" + BUCKET)
				.withMessageContaining("SignatureDoesNotMatch")
				.withMessageContaining("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
				.withMessageContaining("AWS_WEB_IDENTITY_TOKEN_FILE")
				.withMessageContaining("instance role")
				.withMessageNotContaining(s3.secretAccessKey());
		}
		AwsCredentialsProvider unknown = StaticCredentialsProvider
			.create(AwsBasicCredentials.create("unknown-key-id", s3.secretAccessKey()));
		try (S3ObjectStore denied = store(location(test), unknown, SDK_DEFAULTS)) {
			assertThatExceptionOfType(StorageException.class).isThrownBy(denied::checkReadable)
				.withMessageContaining("InvalidAccessKeyId")
				.withMessageContaining("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
				.withMessageNotContaining(s3.secretAccessKey());
		}
	}

	@Test
	void anUnreachableEndpointIsNamed() throws IOException {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		URI endpoint = URI.create("http://127.0.0.1:" + closed);
		try (S3ObjectStore unreachable = new S3ObjectStore(S3Location.parse("s3://" + BUCKET), endpoint, "us-east-1",
				true, PART, PAGE, s3.credentials(), SDK_DEFAULTS)) {
			assertThatExceptionOfType(StorageUnreachableException.class).isThrownBy(unreachable::checkWritable)
				.withMessageContaining("Cannot reach S3 at " + endpoint)
				.withMessageContaining("Check the endpoint");
		}
	}

	/**
	 * The SDK corrects a skewed clock itself: on RequestTimeTooSkewed it measures the offset from the
	 * server's Date header and signs again with it. What reaches kafka-dr is a skew it could not
	 * correct, as here: the requests are signed with a clock 20 minutes fast that the SDK's
	 * correction (measured against this JVM's clock, which is right) does not reach.
	 */
	@Test
	void aClockTheSdkCannotCorrectIsNamed(TestInfo test) {
		Consumer<S3ClientBuilder> fastClock = (builder) -> {
			builder.putAuthScheme(signedAt(Duration.ofMinutes(20)));
		};
		try (S3ObjectStore skewed = store(location(test), s3.credentials(), fastClock)) {
			assertThatExceptionOfType(StorageException.class).isThrownBy(skewed::checkWritable)
				.withMessageContaining("RequestTimeTooSkewed")
				.withMessageContaining("NTP");
		}
	}

	/**
	 * As kafka-dr runs: the public constructor, so credentials from the SDK's default chain (here its
	 * system properties, which come before the environment), and no region: the SDK's chain's, or else an endpoint's
	 * us-east-1.
	 */
	@Test
	void theDefaultChainProvidesTheCredentials(TestInfo test) throws IOException {
		List<String> properties = List.of("aws.accessKeyId", "aws.secretAccessKey");
		System.setProperty("aws.accessKeyId", s3.accessKeyId());
		System.setProperty("aws.secretAccessKey", s3.secretAccessKey());
		try (S3ObjectStore defaults = new S3ObjectStore(location(test), s3.endpoint(), null, true)) {
			defaults.checkWritable();
			defaults.write("a", new byte[] { 1, 2, 3 });
			try (InputStream in = defaults.read("a")) {
				assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
			}
		}
		finally {
			properties.forEach(System::clearProperty);
		}
	}

	@Test
	void partsAreAtLeastFiveMebibytes() {
		assertThatExceptionOfType(StorageException.class)
			.isThrownBy(() -> new S3ObjectStore(S3Location.parse("s3://" + BUCKET), s3.endpoint(), "us-east-1", true,
					PART - 1))
			.withMessageContaining("kafka-dr.storage.s3.part-size");
	}

	private static Append appendChunks(AppendTarget target, byte[] data, int from, int to) {
		Append position = target.position();
		for (int chunk = from; chunk < to; chunk++) {
			int offset = chunk * CHUNK;
			position = target.append(data, offset, Math.min(CHUNK, data.length - offset));
		}
		return position;
	}

	/** Appends {@code count} blocks of other bytes than the test's data, as chunks that never commit. */
	private static void appendOthers(AppendTarget target, int count, int size) {
		byte[] others = random(size, -1);
		for (int i = 0; i < count; i++) {
			target.append(others, 0, size);
		}
	}

	/** The names of the staged blocks under the test's location. */
	private List<String> stagedKeys() {
		return this.store.list("")
			.stream()
			.map(StoredObject::key)
			.filter((key) -> key.substring(key.lastIndexOf('/') + 1).startsWith(".tmp-"))
			.map((key) -> key.substring(key.lastIndexOf('/') + 1))
			.toList();
	}

	private byte[] read(String key) throws IOException {
		try (InputStream in = this.store.read(key)) {
			return in.readAllBytes();
		}
	}

	private static byte[] random(int length, long seed) {
		byte[] bytes = new byte[length];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	/** SigV4 signing as the SDK's own, with a clock {@code skew} ahead of the one the SDK signs with. */
	private static AwsV4AuthScheme signedAt(Duration skew) {
		AwsV4AuthScheme standard = AwsV4AuthScheme.create();
		AwsV4HttpSigner signer = standard.signer();
		AwsV4HttpSigner skewed = new AwsV4HttpSigner() {

			@Override
			public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
				Clock clock = request.hasProperty(HttpSigner.SIGNING_CLOCK) ? request.property(HttpSigner.SIGNING_CLOCK)
						: Clock.systemUTC();
				return signer.sign(request.copy((copy) -> copy.putProperty(HttpSigner.SIGNING_CLOCK,
						Clock.offset(clock, skew))));
			}

			@Override
			public CompletableFuture<AsyncSignedRequest> signAsync(
					AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
				throw new UnsupportedOperationException("the store's client is synchronous");
			}

		};
		return new AwsV4AuthScheme() {

			@Override
			public String schemeId() {
				return standard.schemeId();
			}

			@Override
			public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
				return standard.identityProvider(providers);
			}

			@Override
			public AwsV4HttpSigner signer() {
				return skewed;
			}

		};
	}

}
