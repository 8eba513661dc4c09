package io.kafkadr.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.kafkadr.testing.ChildProcess;
import io.kafkadr.testing.S3Sandbox;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The S3 location's lock against a real S3 API server (s3proxy in a child process): a lease held by
 * conditional writes, with a short lease so that expiry is quick. Holders are stores in this JVM
 * and, for the holders that die or freeze, real child processes that a test kills or stops.
 */
@Tag("integration")
class S3LockTest {

	private static final String BUCKET = "kafka-dr-locks";

	private static final Duration LEASE = S3ObjectStore.MINIMUM_LOCK_LEASE;

	private static final Duration RENEWAL = LEASE.dividedBy(3);

	/** Room for requests, JVM starts and a busy machine on top of the times the lease allows. */
	private static final Duration SLACK = Duration.ofSeconds(2);

	private static final String LOCK = ".kafka-dr/backup.lock";

	private static S3Sandbox s3;

	// concurrent: runs racing for a lock open theirs from threads of their own
	private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();

	private S3Location location;

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
	void location(TestInfo test) {
		// each test's own prefix, so that none sees another's locks
		this.location = S3Location.parse("s3://" + BUCKET + "/" + test.getTestMethod().orElseThrow().getName());
	}

	@AfterEach
	void close() throws Exception {
		// the newest first: locks before the stores they use
		for (AutoCloseable closeable : this.opened.reversed()) {
			closeable.close();
		}
	}

	@Test
	void aSecondLockOfAPurposeIsRefusedNamingItsHolderOnceTheHolderRenews() {
		S3Lease held = (S3Lease) lock(store(), "backup", "the first backup");

		long start = System.nanoTime();
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> store().lock("backup", "the second backup"))
			.withMessageContaining("Another kafka-dr backup holds the storage location " + this.location.uri(""))
			.withMessageContaining("(the first backup, host ")
			.withMessageContaining(", pid " + ProcessHandle.current().pid() + ", since ")
			.withMessageContaining("is renewed, so that run's process is alive");
		assertThat(Duration.ofNanos(System.nanoTime() - start))
			.as("refused as soon as the holder renewed, not once the lease would have expired")
			.isLessThan(LEASE);
		assertThat(held.held()).isTrue();
		assertThat(lockHolder()).isEqualTo("the first backup");
	}

	@Test
	void locksOfDifferentPurposesDoNotBlockEachOther() {
		S3Lease backup = (S3Lease) lock(store(), "backup", "backup");
		S3Lease restore = (S3Lease) lock(store(), "restore", "restore drill");

		assertThat(backup.held()).isTrue();
		assertThat(restore.held()).isTrue();
		assertThat(store().list(".kafka-dr/")).extracting(StoredObject::key)
			.containsExactly(".kafka-dr/backup.lock", ".kafka-dr/restore.lock");
	}

	@Test
	void aReleasedLockIsTakenAtOnce() {
		S3ObjectStore first = store();
		StorageLock released = first.lock("backup", "the first backup");
		released.close();
		assertThat(first.exists(LOCK)).as("the lock object is deleted on release").isFalse();

		long start = System.nanoTime();
		lock(store(), "backup", "the second backup");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("taken without waiting for a lease")
			.isLessThan(LEASE);
		assertThat(lockHolder()).isEqualTo("the second backup");
	}

	@Test
	void aRunWhoseLeaseWasTakenOverSaysItLostItAndLeavesItToTheNewHolder() {
		S3ObjectStore store = store();
		S3Lease lost = (S3Lease) lock(store, "backup", "the first backup");
		store.requireLocksHeld();
		takeOver(store);

		Awaitility.await("the first holder's next renewal, refused")
			.atMost(RENEWAL.multipliedBy(2).plus(SLACK))
			.until(() -> !lost.held());
		// the writers of the run check this before each chunk: the run stops instead of writing beside the other
		assertThatExceptionOfType(StorageException.class).isThrownBy(store::requireLocksHeld)
			.withMessageContaining("lost its lock")
			.withMessageContaining("(backup)");
		lost.close();
		store.requireLocksHeld();
		assertThat(lockHolder()).as("the release deleted no lock but its own").isEqualTo("another backup");
	}

	@Test
	void aReleaseBeforeTheNextRenewalLeavesALockAnotherRunTookOver() {
		S3ObjectStore store = store();
		StorageLock lost = lock(store, "backup", "the first backup");
		takeOver(store);

		// most likely before the renewal thread noticed: the release itself must tell the lock is no longer its own
		lost.close();
		assertThat(lockHolder()).as("the release deleted no lock but its own").isEqualTo("another backup");
	}

	/** Replaces the backup lock, as a run would that saw it unrenewed for its lease (its holder's renewals lost). */
	private static void takeOver(S3ObjectStore store) {
		store.write(LOCK, "holder=another backup\ntoken=theirs\n".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void aKilledHoldersLockIsTakenOverAfterAboutOneLease() {
		ChildProcess holder = lockingProcess("the killed backup");
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> store().lock("backup", "the next backup"))
			.withMessageContaining("(the killed backup, host ")
			.withMessageContaining(", pid " + holder.pid() + ", since ");

		holder.kill();
		long killed = System.nanoTime();
		lock(store(), "backup", "the next backup");
		assertThat(Duration.ofNanos(System.nanoTime() - killed))
			.as("a killed holder's lease expires a lease after its last renewal, at most a renewal interval before")
			.isLessThan(LEASE.plus(SLACK));
		assertThat(lockHolder()).isEqualTo("the next backup");
	}

	@Test
	void aFrozenHolderLosesItsLockAndItsReleaseLeavesTheNewHoldersLock() {
		ChildProcess holder = lockingProcess("the frozen backup");
		holder.pause();
		long frozen = System.nanoTime();
		try {
			lock(store(), "backup", "the next backup");
			assertThat(Duration.ofNanos(System.nanoTime() - frozen)).isLessThan(LEASE.plus(SLACK));
		}
		finally {
			holder.resume();
		}

		Awaitility.await("the frozen holder's overdue renewal, refused")
			.atMost(RENEWAL.plus(SLACK))
			.until(() -> holder.output().contains("Lost the backup lock on the storage location"));
		holder.terminate();
		holder.waitFor(Duration.ofSeconds(30));
		assertThat(holder.output()).contains(LockHoldingProgram.RELEASED);
		assertThat(lockHolder()).as("the frozen holder's release deleted no lock but its own")
			.isEqualTo("the next backup");
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> store().lock("backup", "a third backup"))
			.withMessageContaining("(the next backup, host ");
	}

	@Test
	void aLockThatExpiredByTheServersClockIsTakenOverAtOnce() {
		leaveDeadLock();
		awaitExpiredByTheServersClock();

		long start = System.nanoTime();
		lock(store(), "backup", "the next backup");
		assertThat(Duration.ofNanos(System.nanoTime() - start))
			.as("taken over on the server's word, without watching it unrenewed for a lease")
			.isLessThan(LEASE);
		assertThat(lockHolder()).isEqualTo("the next backup");
	}

	@Test
	void ofTwoRunsFindingOneExpiredLockOnlyOneTakesItOver() {
		leaveDeadLock();
		S3ObjectStore one = store();
		S3ObjectStore other = store();

		CompletableFuture<StorageLock> first = CompletableFuture.supplyAsync(() -> lock(one, "backup", "run one"));
		CompletableFuture<StorageLock> second = CompletableFuture.supplyAsync(() -> lock(other, "backup", "run two"));
		List<String> taken = new ArrayList<>();
		List<String> refusals = new ArrayList<>();
		for (CompletableFuture<StorageLock> run : List.of(first, second)) {
			try {
				run.get(LEASE.plus(RENEWAL).plus(SLACK).toMillis(), TimeUnit.MILLISECONDS);
				taken.add((run == first) ? "run one" : "run two");
			}
			catch (ExecutionException ex) {
				assertThat(ex.getCause()).isInstanceOf(StorageException.class);
				refusals.add(ex.getCause().getMessage());
			}
			catch (InterruptedException | TimeoutException ex) {
				throw new IllegalStateException(ex);
			}
		}
		assertThat(taken).hasSize(1);
		assertThat(refusals).singleElement(as(InstanceOfAssertFactories.STRING))
			.contains("Another kafka-dr backup holds the storage location", "(" + taken.get(0) + ", host ");
		assertThat(lockHolder()).isEqualTo(taken.get(0));
	}

	/** The backup lock object as a run that was killed left it: never renewed again. */
	private void leaveDeadLock() {
		store().write(LOCK, S3Lease.Holder.now("the dead backup", LEASE).body("7"));
	}

	/** Waits until the server's clock is a lease past the lock object's last change. */
	private void awaitExpiredByTheServersClock() {
		try (S3Client client = S3Client.builder()
			.endpointOverride(s3.endpoint())
			.region(Region.US_EAST_1)
			.forcePathStyle(true)
			.credentialsProvider(s3.credentials())
			.build()) {
			Awaitility.await("the server's clock a lease past the dead lock")
				.atMost(LEASE.plus(SLACK))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> {
					HeadObjectResponse head = client.headObject(
							(request) -> request.bucket(BUCKET).key(this.location.key(LOCK)));
					Instant now = ZonedDateTime
						.parse(head.sdkHttpResponse().firstMatchingHeader("Date").orElseThrow(),
								DateTimeFormatter.RFC_1123_DATE_TIME)
						.toInstant();
					return !now.isBefore(head.lastModified().plus(LEASE));
				});
		}
	}

	@Test
	void aServerThatIgnoresConditionalWritesIsRefused() {
		S3ObjectStore ignoring = store(stripping("If-None-Match", "If-Match"));

		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> ignoring.lock("backup", "backup"))
			.withMessageContaining("The S3 API at " + s3.endpoint() + " does not honour conditional writes")
			.withMessageContaining("AWS S3, MinIO");
		assertThat(ignoring.exists(LOCK)).as("the lock it could not hold is not left behind").isFalse();
	}

	@Test
	void aLeaseShorterThanTheMinimumIsRefused() {
		assertThatExceptionOfType(StorageException.class)
			.isThrownBy(() -> store(LEASE.minusMillis(1), (builder) -> {
			}))
			.withMessageContaining("kafka-dr.storage.s3.lock-lease");
	}

	/** A child JVM holding the backup lock of this test's location (lease {@link #LEASE}). */
	private ChildProcess lockingProcess(String holder) {
		ChildProcess process = ChildProcess.startMain(LockHoldingProgram.class,
				List.of(s3.endpoint().toString(), this.location.uri(""), s3.accessKeyId(), s3.secretAccessKey(),
						LEASE.toString(), "backup", holder));
		this.opened.add(() -> {
			if (process.isAlive()) {
				process.kill();
			}
		});
		Awaitility.await("the child holding the lock")
			.atMost(Duration.ofSeconds(60))
			.until(() -> {
				if (!process.isAlive()) {
					throw new IllegalStateException("the lock holder ended:\n" + process.output());
				}
				return process.output().contains(LockHoldingProgram.LOCKED);
			});
		return process;
	}

	private StorageLock lock(S3ObjectStore store, String purpose, String holder) {
		StorageLock lock = store.lock(purpose, holder);
		this.opened.add(lock);
		return lock;
	}

	/** Who the backup lock object names as its holder now. */
	private String lockHolder() {
		try (InputStream in = store().read(LOCK)) {
			String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			return body.lines()
				.filter((line) -> line.startsWith("holder="))
				.map((line) -> line.substring("holder=".length()))
				.findFirst()
				.orElseThrow();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private S3ObjectStore store() {
		return store((builder) -> {
		});
	}

	private S3ObjectStore store(Consumer<S3ClientBuilder> client) {
		return store(LEASE, client);
	}

	private S3ObjectStore store(Duration lease, Consumer<S3ClientBuilder> client) {
		S3ObjectStore store = new S3ObjectStore(this.location, s3.endpoint(), "us-east-1", true,
				S3ObjectStore.MINIMUM_PART_SIZE, 1000, lease, s3.credentials(), client);
		this.opened.add(store);
		return store;
	}

	/** A client whose requests lose these headers on their way, as through a server that ignores them. */
	private static Consumer<S3ClientBuilder> stripping(String... headers) {
		ExecutionInterceptor strip = new ExecutionInterceptor() {

			@Override
			public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
					ExecutionAttributes executionAttributes) {
				SdkHttpRequest.Builder request = context.httpRequest().toBuilder();
				for (String header : headers) {
					request.removeHeader(header);
				}
				return request.build();
			}

		};
		return (builder) -> builder.overrideConfiguration((configuration) -> configuration.addExecutionInterceptor(strip));
	}

}
