package io.kafkadr.storage;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A process that takes an S3 location's lock and holds it until it is killed or terminated (a
 * shutdown hook then releases it), so that tests can kill, freeze and resume a real holder.
 * Arguments: endpoint, location, access key id, secret access key, lease (ISO-8601), purpose, holder.
 * It prints {@value #LOCKED} once it holds the lock and {@value #RELEASED} once it released it.
 */
public final class LockHoldingProgram {

	/** The line it prints once it holds the lock. */
	public static final String LOCKED = "LOCK HELD";

	/** The line it prints once its shutdown hook released the lock. */
	public static final String RELEASED = "LOCK RELEASED";

	private LockHoldingProgram() {
	}

	public static void main(String[] args) throws InterruptedException {
		S3ObjectStore store = new S3ObjectStore(S3Location.parse(args[1]), URI.create(args[0]), "us-east-1", true,
				S3ObjectStore.MINIMUM_PART_SIZE, 1000, Duration.parse(args[4]),
				StaticCredentialsProvider.create(AwsBasicCredentials.create(args[2], args[3])), (client) -> {
				});
		StorageLock lock = store.lock(args[5], args[6]);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			lock.close();
			store.close();
			System.out.println(RELEASED);
		}));
		System.out.println(LOCKED);
		// held until a signal ends the process
		new CountDownLatch(1).await();
	}

}
