package io.kafkadr.storage;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.util.backoff.BackOffExecution;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An S3 location's lock: a lease on {@code .kafka-dr/<purpose>.lock} under the location's prefix,
 * taken and renewed only by conditional writes, so that it holds across processes on different
 * machines. It is created with {@code If-None-Match: *}; a daemon thread renews it every third of
 * the lease with {@code If-Match} on the ETag it last wrote; a lease left unrenewed for its duration
 * (its holder died) is taken over with {@code If-Match} on the ETag found. Whether it was renewed in
 * time is judged against the server's clock (its {@code Date} against the object's
 * {@code Last-Modified}) or by watching it unchanged for a lease, never by this machine's clock.
 */
final class S3Lease implements StorageLock {

	private static final Logger log = LoggerFactory.getLogger(S3Lease.class);

	/** The first line of a lease object, for whoever finds one in the bucket. */
	private static final String HEADING = "kafka-dr storage lock: a lease its holder renews; left unrenewed for"
			+ " the lease, it has expired and the next run takes it over";

	/** The statuses of a conditional request refused: its condition failed, or a concurrent one won (AWS). */
	private static final int PRECONDITION_FAILED = 412;

	private static final int CONFLICT = 409;

	private final Lessee lessee;

	private final Holder holder;

	private final ScheduledExecutorService renewals;

	/** The ETag of the lease object as this holder last wrote it. */
	private volatile String etag;

	private volatile boolean lost;

	/** Whether another run is known to hold the lease now: then a release must leave its object alone. */
	private volatile boolean takenOver;

	private volatile boolean closed;

	/** When the last renewal succeeded ({@link System#nanoTime}); the renewal thread's own. */
	private long renewed;

	/** How many renewals there were: each writes a new body, so that its ETag differs from the last. */
	private long renewal;

	private S3Lease(Lessee lessee, Holder holder, String etag) {
		this.lessee = lessee;
		this.holder = holder;
		this.etag = etag;
		this.renewed = System.nanoTime();
		this.renewals = Executors.newSingleThreadScheduledExecutor(
				Thread.ofPlatform().daemon().name("kafka-dr-" + lessee.purpose + "-lock-renewal").factory());
		long every = lessee.renewalInterval().toNanos();
		this.renewals.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.NANOSECONDS);
	}

	/**
	 * Takes the lease of {@code purpose} on the store's location, waiting at most a lease and a
	 * renewal interval to tell a holder that died from one that lives.
	 * @throws StorageException when a live run holds it, or when the server does not honour
	 * conditional writes
	 */
	static S3Lease acquire(S3ObjectStore store, S3Client s3, String purpose, String holder, Duration lease) {
		Lessee lessee = new Lessee(store, s3, purpose, lease);
		Holder me = Holder.now(holder, lease);
		Acquisition acquisition = new Acquisition(lessee, me);
		RetryPolicy policy = RetryPolicy.builder()
			.backOff(() -> acquisition::nextPause)
			.predicate(Undecided.class::isInstance)
			.build();
		try {
			return new RetryTemplate(policy).invoke(acquisition::attempt);
		}
		catch (Undecided ex) {
			if (Thread.currentThread().isInterrupted()) {
				throw new StorageException("Interrupted while waiting for the lock " + lessee.uri() + " of "
						+ lessee.store.describe("") + " to be renewed or to expire.", ex);
			}
			throw lessee.refused(ex.holder, "It was neither renewed nor did it expire within "
					+ seconds(acquisition.patience())
					+ ", as a lease renewed every third of its duration would: if no such run exists, delete "
					+ lessee.uri() + ".");
		}
	}

	/** Whether this process still holds the lock: not closed, and no other run took it over. */
	boolean held() {
		return !this.closed && !this.lost;
	}

	/** Whether the lock was released. */
	boolean closed() {
		return this.closed;
	}

	/** The kind of run the lock is for. */
	String purpose() {
		return this.lessee.purpose;
	}

	/** Renews the lease: run by the renewal thread every third of the lease. */
	private void renew() {
		try {
			for (int attempt = 0; attempt < 2; attempt++) {
				String written = this.lessee.put(this.holder.body(String.valueOf(this.renewal + 1)), (request) -> request
					.ifMatch(this.etag)
					// a renewal that hangs must not hold up the next one, which may get through
					.overrideConfiguration((call) -> call.apiCallTimeout(this.lessee.renewalInterval())));
				if (written != null) {
					this.renewal++;
					this.etag = written;
					this.renewed = System.nanoTime();
					return;
				}
				// A renewal whose answer was lost may have been written: then the lease is still this run's.
				String own = this.lessee.etagIfHeldBy(this.holder);
				if (own == null) {
					this.takenOver = true;
					lose("another run took it over, having seen it unrenewed for its lease");
					return;
				}
				this.etag = own;
			}
		}
		catch (RuntimeException ex) {
			Duration since = Duration.ofNanos(System.nanoTime() - this.renewed);
			String reason = (ex instanceof SdkException sdk) ? S3Failures.reason(sdk) : ex.getMessage();
			if (since.compareTo(this.lessee.lease) >= 0) {
				lose("it could not be renewed for " + since.toSeconds() + " s, longer than the lease (last failure: "
						+ reason + ")");
			}
			else {
				log.warn("Could not renew the lock {} ({}); trying again in {}", this.lessee.uri(), reason,
						seconds(this.lessee.renewalInterval()));
			}
		}
	}

	private void lose(String why) {
		this.lost = true;
		log.error("Lost the {} lock on the storage location {}: {}. Another run may now write into the location"
				+ " at the same time as this one; when this one ends, check the backups of both (kafka-dr verify).",
				this.lessee.purpose, this.lessee.store.describe(""), why);
		this.renewals.shutdown();
	}

	/**
	 * Stops renewing and deletes the lease object if it is still this run's: one another run took
	 * over stays. A release that fails is only logged: the lease then expires on its own, and the
	 * run's work is done.
	 */
	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.renewals.shutdown();
		try {
			// a renewal in progress ends within its call timeout; its ETag is the one to delete
			if (!this.renewals.awaitTermination(this.lessee.renewalInterval().toMillis() * 2, TimeUnit.MILLISECONDS)) {
				this.renewals.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.renewals.shutdownNow();
		}
		if (this.takenOver) {
			return;
		}
		try {
			String current = this.etag;
			for (int attempt = 0; attempt < 2 && current != null; attempt++) {
				if (this.lessee.release(this.holder, current)) {
					return;
				}
				// A renewal whose answer was lost may have been written: then the lease is still this run's.
				current = this.lessee.etagIfHeldBy(this.holder);
			}
		}
		catch (RuntimeException ex) {
			log.warn("{}; the next {} takes the lock over once its lease of {} has passed.", ex.getMessage(),
					this.lessee.purpose, seconds(this.lessee.lease));
		}
	}

	/** A lease that is neither renewed nor expired yet: look again. */
	private static final class Undecided extends RuntimeException {

		private final transient Holder holder;

		Undecided(Holder holder) {
			super("neither renewed nor expired yet", null, false, false);
			this.holder = holder;
		}

	}

	/**
	 * One taking of a lease: created when there is none, else watched until it is renewed (a live
	 * holder: refused) or expires (taken over).
	 */
	private static final class Acquisition {

		private final Lessee lessee;

		private final Holder me;

		/** Whether the next attempt tries to create the lease object: at first, and after it was seen gone. */
		private boolean create = true;

		/** The lease object as first seen, and when ({@link System#nanoTime}). */
		private Observed first;

		private long firstSeen;

		private long deadline;

		Acquisition(Lessee lessee, Holder me) {
			this.lessee = lessee;
			this.me = me;
			// until it is seen, a lease object that keeps coming and going is given as long as one of this run's
			this.deadline = System.nanoTime() + patience().toNanos();
		}

		S3Lease attempt() {
			if (this.create) {
				String created = this.lessee.put(this.me.body("0"), (request) -> request.ifNoneMatch("*"));
				if (created != null) {
					return this.lessee.taken(this.me, created);
				}
			}
			Observed now = this.lessee.observe();
			if (now == null) {
				// released between the two requests: create it on the next attempt
				this.create = true;
				throw new Undecided(null);
			}
			this.create = false;
			if (mine(now)) {
				// the SDK retried a write of this run's whose answer was lost, and the retry found it there
				return this.lessee.taken(this.me, now.etag());
			}
			if (this.first == null) {
				this.first = now;
				this.firstSeen = System.nanoTime();
				this.deadline = this.firstSeen + patience().toNanos();
			}
			else if (renewedSince(this.first, now)) {
				throw this.lessee.refused(now.holder(),
						"Its lock " + this.lessee.uri() + " is renewed, so that run's process is alive: if no such run"
								+ " should exist, find and stop it. (A run that is killed leaves a lock that expires "
								+ seconds(lease(now)) + " after its last renewal.)");
			}
			if (expired(now)) {
				String taken = this.lessee.put(this.me.body("0"), (request) -> request.ifMatch(now.etag()));
				if (taken == null) {
					Observed winner = this.lessee.observe();
					if (winner != null && mine(winner)) {
						return this.lessee.taken(this.me, winner.etag());
					}
					throw this.lessee.refused((winner != null) ? winner.holder() : null,
							"It took over the expired lock " + this.lessee.uri() + " just before this run did.");
				}
				log.warn("Took over the expired lock {} of {} (its holder stopped renewing it: it was killed, or lost"
						+ " the connection)", this.lessee.uri(), describe(now.holder()));
				return this.lessee.taken(this.me, taken);
			}
			throw new Undecided(now.holder());
		}

		private boolean mine(Observed now) {
			return now.holder() != null && this.me.token().equals(now.holder().token());
		}

		private static boolean renewedSince(Observed before, Observed now) {
			return !Objects.equals(now.etag(), before.etag()) || (now.lastModified() != null && before.lastModified() != null
					&& now.lastModified().isAfter(before.lastModified()));
		}

		/**
		 * Whether the lease was left unrenewed for its duration: by the server's clock, or by the
		 * lease object staying unchanged that long since this run first saw it (which holds whatever
		 * either clock says).
		 */
		private boolean expired(Observed now) {
			Duration lease = lease(now);
			if (now.serverTime() != null && now.lastModified() != null
					&& !now.serverTime().isBefore(now.lastModified().plus(lease))) {
				return true;
			}
			return System.nanoTime() - this.firstSeen >= lease.toNanos();
		}

		/** The holder's lease, as it wrote it: the one its renewals keep to, whatever this run's is. */
		private Duration lease(Observed now) {
			return (now.holder() != null && now.holder().lease() != null) ? now.holder().lease() : this.lessee.lease;
		}

		/** How long a lease seen once may stay neither renewed nor expired: a lease and a renewal interval. */
		Duration patience() {
			Duration lease = (this.first != null) ? lease(this.first) : this.lessee.lease;
			return lease.plus(lease.dividedBy(3));
		}

		long nextPause() {
			if (System.nanoTime() - this.deadline >= 0) {
				return BackOffExecution.STOP;
			}
			// several looks per renewal interval of the holder, so that a live one is told apart within about one
			Duration lease = (this.first != null) ? lease(this.first) : this.lessee.lease;
			return Math.max(50, lease.dividedBy(15).toMillis());
		}

	}

	/** The lease object's state: its ETag and time, the server's time when it answered, and its holder. */
	private record Observed(String etag, Instant lastModified, Instant serverTime, Holder holder) {
	}

	/** The lease of one purpose on one location, and the requests on its object. */
	private static final class Lessee {

		private final S3ObjectStore store;

		private final S3Client s3;

		private final String purpose;

		private final Duration lease;

		private final String key;

		Lessee(S3ObjectStore store, S3Client s3, String purpose, Duration lease) {
			this.store = store;
			this.s3 = s3;
			this.purpose = purpose;
			this.lease = lease;
			this.key = LocalObjectStore.TOOL_DIRECTORY + "/" + purpose + ".lock";
		}

		Duration renewalInterval() {
			return this.lease.dividedBy(3);
		}

		String uri() {
			return this.store.describe(this.key);
		}

		/**
		 * Writes the lease object on a condition; returns its new ETag, or {@code null} when the
		 * server refused it for the condition.
		 */
		String put(byte[] body, Consumer<PutObjectRequest.Builder> condition) {
			try {
				return this.s3.putObject((request) -> {
					request.bucket(this.store.location().bucket()).key(this.store.location().key(this.key));
					condition.accept(request);
				}, RequestBody.fromBytes(body)).eTag();
			}
			catch (S3Exception ex) {
				if (refusedCondition(ex)) {
					return null;
				}
				if (unsupported(ex)) {
					throw notHonoured(S3Failures.reason(ex), ex);
				}
				throw this.store.failure("lock", this.key, ex);
			}
			catch (SdkException ex) {
				throw this.store.failure("lock", this.key, ex);
			}
		}

		/** The lease object now; {@code null} when there is none. */
		Observed observe() {
			try {
				ResponseBytes<GetObjectResponse> object = this.s3.getObjectAsBytes(
						(request) -> request.bucket(this.store.location().bucket()).key(this.store.location().key(this.key)));
				GetObjectResponse response = object.response();
				Instant serverTime = response.sdkHttpResponse()
					.firstMatchingHeader("Date")
					.map(Lessee::httpDate)
					.orElse(null);
				return new Observed(response.eTag(), response.lastModified(), serverTime,
						Holder.parse(object.asUtf8String()));
			}
			catch (NoSuchKeyException ex) {
				return null;
			}
			catch (SdkException ex) {
				throw this.store.failure("read the lock", this.key, ex);
			}
		}

		private static Instant httpDate(String value) {
			try {
				return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
			}
			catch (DateTimeParseException ex) {
				// without the server's time, only watching the lease for its duration tells it expired
				return null;
			}
		}

		/** The lease object's ETag when {@code holder} holds it, else {@code null}. */
		String etagIfHeldBy(Holder holder) {
			Observed now = observe();
			return (now != null && now.holder() != null && holder.token().equals(now.holder().token())) ? now.etag()
					: null;
		}

		/**
		 * Deletes the lease object if its ETag is still {@code etag}, as {@code holder} wrote it;
		 * returns whether it did (or the object is gone), {@code false} when the ETag differs.
		 */
		boolean release(Holder holder, String etag) {
			// A renewal first, for conditional deletes cannot be relied on (s3proxy 4 refuses them, some servers
			// ignore them) while conditional writes were proven when the lease was taken: it proves the lease still
			// this run's and starts it afresh, so no other run may take it over before the delete that follows.
			String renewed = put(holder.body("released"), (request) -> request.ifMatch(etag));
			if (renewed == null) {
				return false;
			}
			try {
				delete((request) -> request.ifMatch(renewed));
				return true;
			}
			catch (S3Exception ex) {
				if (ex.statusCode() == 404) {
					// gone already: nothing is left to release
					return true;
				}
				if (!unsupported(ex)) {
					throw this.store.failure("release the lock", this.key, ex);
				}
			}
			catch (SdkException ex) {
				throw this.store.failure("release the lock", this.key, ex);
			}
			try {
				delete((request) -> {
				});
				return true;
			}
			catch (SdkException ex) {
				throw this.store.failure("release the lock", this.key, ex);
			}
		}

		private void delete(Consumer<DeleteObjectRequest.Builder> condition) {
			this.s3.deleteObject((request) -> {
				request.bucket(this.store.location().bucket()).key(this.store.location().key(this.key));
				condition.accept(request);
			});
		}

		/**
		 * A lease just written by {@code holder}, once proven its: read back with its token, and the
		 * server proven to refuse writes whose conditions fail (one that ignores them would let two
		 * runs both believe they hold it).
		 */
		S3Lease taken(Holder holder, String etag) {
			String own = etagIfHeldBy(holder);
			if (own == null) {
				throw notHonoured("another run's lock replaced this run's, just written with If-None-Match or If-Match",
						null);
			}
			byte[] same = holder.body("0");
			// Both with the body just written: on a server that ignores the condition, they change nothing.
			if (put(same, (request) -> request.ifNoneMatch("*")) != null) {
				release(holder, own);
				throw notHonoured("it overwrote an existing object despite If-None-Match: *", null);
			}
			if (put(same, (request) -> request.ifMatch("\"" + UUID.randomUUID().toString().replace("-", "") + "\""))
					!= null) {
				release(holder, own);
				throw notHonoured("it overwrote an object despite an If-Match on an ETag it does not have", null);
			}
			return new S3Lease(this, holder, (etag != null) ? etag : own);
		}

		StorageException refused(Holder holder, String explanation) {
			return new StorageException("Another kafka-dr " + this.purpose + " holds the storage location "
					+ this.store.describe("") + " (" + describe(holder) + "). Wait for it to finish; two runs of a kind"
					+ " never share a location at once. " + explanation);
		}

		private StorageException notHonoured(String detail, Throwable cause) {
			return new StorageException("The S3 API at " + this.store.where() + " does not honour conditional writes"
					+ " (If-None-Match, If-Match): " + detail + ". kafka-dr needs them to keep two runs out of one storage"
					+ " location (" + this.store.describe("") + "). Use a server that honours them, such as AWS S3,"
					+ " MinIO or Cloudflare R2, or a local directory.", cause);
		}

		private static boolean refusedCondition(S3Exception ex) {
			return ex.statusCode() == PRECONDITION_FAILED || ex.statusCode() == CONFLICT;
		}

		private static boolean unsupported(S3Exception ex) {
			return ex.statusCode() == 501 || (ex.awsErrorDetails() != null
					&& "NotImplemented".equals(ex.awsErrorDetails().errorCode()));
		}

	}

	/** Who holds a lease, and for how long each renewal holds it: the lease object's body. */
	record Holder(String holder, String host, String pid, String since, String token, Duration lease) {

		/** This process, taking a lease now. */
		static Holder now(String holder, Duration lease) {
			return new Holder(holder, localHost(), String.valueOf(ProcessHandle.current().pid()), Instant.now().toString(),
					UUID.randomUUID().toString(), lease);
		}

		/** The host name: in Kubernetes, the pod's. */
		private static String localHost() {
			String host = System.getenv("HOSTNAME");
			if (host != null && !host.isBlank()) {
				return host;
			}
			try {
				return InetAddress.getLocalHost().getHostName();
			}
			catch (UnknownHostException ex) {
				return "unknown host";
			}
		}

		/** The body of its lease object, at a renewal (its number, or what it is for): each renewal's differs. */
		byte[] body(String renewal) {
			StringBuilder body = new StringBuilder(HEADING).append('\n');
			line(body, "holder", this.holder);
			line(body, "host", this.host);
			line(body, "pid", this.pid);
			line(body, "since", this.since);
			line(body, "token", this.token);
			line(body, "lease", this.lease.toString());
			line(body, "renewal", renewal);
			return body.toString().getBytes(StandardCharsets.UTF_8);
		}

		private static void line(StringBuilder body, String name, String value) {
			body.append(name).append('=').append(value.replace('\n', ' ').replace('\r', ' ')).append('\n');
		}

		/** The holder a lease object names; {@code null} when it is not one kafka-dr wrote. */
		static Holder parse(String body) {
			Map<String, String> values = new HashMap<>();
			for (String line : body.split("\n")) {
				int equals = line.indexOf('=');
				if (equals > 0) {
					values.put(line.substring(0, equals), line.substring(equals + 1));
				}
			}
			if (!values.containsKey("token")) {
				return null;
			}
			Duration lease;
			try {
				lease = Duration.parse(values.getOrDefault("lease", ""));
			}
			catch (DateTimeParseException ex) {
				lease = null;
			}
			return new Holder(values.getOrDefault("holder", "?"), values.getOrDefault("host", "?"),
					values.getOrDefault("pid", "?"), values.getOrDefault("since", "?"), values.get("token"), lease);
		}

	}

	/** A duration for messages: "30 s", "1.5 s". */
	static String seconds(Duration duration) {
		return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
	}

	/** Who holds a lease, for messages. */
	static String describe(Holder holder) {
		return (holder != null)
				? holder.holder() + ", host " + holder.host() + ", pid " + holder.pid() + ", since " + holder.since()
				: "holder unknown";
	}

}
