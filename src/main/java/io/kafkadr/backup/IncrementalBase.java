package io.kafkadr.backup;

import java.time.Duration;
import java.time.Instant;

import io.kafkadr.archive.BackupChain;
import io.kafkadr.archive.BackupDirectory;
import io.kafkadr.archive.BackupStorage;
import io.kafkadr.archive.Manifest;
import io.kafkadr.archive.TopicSnapshot;
import io.kafkadr.storage.StorageException;

/**
 * Decides whether a new backup is full or incremental, and which backup an incremental continues:
 * the newest complete backup, when it was taken from the same cluster with the same topic
 * selection, its chain is whole, and (unless asked for an incremental) the full backup its chain
 * starts with is younger than {@code kafka-dr.backup.full-every}.
 */
public final class IncrementalBase {

	/** What the user asked for: {@code --full}, {@code --incremental}, or neither. */
	public enum Request {

		AUTOMATIC, FULL, INCREMENTAL

	}

	/** The decision: the base to continue, or null for a full backup, and why it is full. */
	record Choice(BackupDirectory base, String whyFull) {

		boolean incremental() {
			return this.base != null;
		}

	}

	private IncrementalBase() {
	}

	/**
	 * @throws BackupRefusedException for {@link Request#INCREMENTAL} when no backup can be continued,
	 * with the reason
	 */
	static Choice choose(Request request, BackupStorage storage, TopicSnapshot.Selection selection, String clusterId,
			Duration fullEvery, Instant now) {
		if (request == Request.FULL) {
			return new Choice(null, "--full was given");
		}
		Choice choice = usable(storage, selection, clusterId, fullEvery, now, request == Request.AUTOMATIC);
		if (!choice.incremental() && request == Request.INCREMENTAL) {
			throw new BackupRefusedException("--incremental: there is no backup to continue, because "
					+ choice.whyFull() + ". Leave out --incremental to take a full backup now.");
		}
		return choice;
	}

	private static Choice usable(BackupStorage storage, TopicSnapshot.Selection selection, String clusterId,
			Duration fullEvery, Instant now, boolean honourFullEvery) {
		// A damaged manifest is never a base; the newest readable one is considered.
		BackupDirectory newest = storage.newestComplete().orElse(null);
		if (newest == null) {
			return new Choice(null, "the storage location " + storage.location() + " holds no complete backup");
		}
		Manifest newestManifest = newest.manifest();
		if (!clusterId.equals(newestManifest.source().clusterId())) {
			return new Choice(null, "the newest complete backup, " + newest.id() + ", was taken from another cluster ("
					+ newestManifest.source().clusterId() + ", this one is " + clusterId + ")");
		}
		TopicSnapshot.Selection taken;
		try {
			taken = newest.read(BackupDirectory.TOPICS, TopicSnapshot.class).selection();
		}
		catch (RuntimeException ex) {
			return new Choice(null, "the topics.json of the newest complete backup, " + newest.id() + ", cannot be read ("
					+ ex.getMessage() + ")");
		}
		if (!selection.equals(taken)) {
			return new Choice(null, "the newest complete backup, " + newest.id() + ", was taken with another topic"
					+ " selection (" + ((taken != null) ? describe(taken) : "not recorded by the release that took it")
					+ "; now " + describe(selection) + ")");
		}
		BackupChain chain;
		try {
			chain = BackupChain.of(newest);
		}
		catch (StorageException ex) {
			return new Choice(null, ex.getMessage());
		}
		BackupDirectory full = chain.links().getFirst();
		Duration age = Duration.between(full.manifest().completedAt(), now);
		if (honourFullEvery && age.compareTo(fullEvery) >= 0) {
			return new Choice(null, "the newest full backup, " + full.id() + ", completed " + roughly(age)
					+ " ago, and kafka-dr.backup.full-every is " + RetentionPolicy.words(fullEvery));
		}
		return new Choice(newest, null);
	}

	private static String roughly(Duration age) {
		return (age.toDays() > 0) ? age.toDays() + "d" : (age.toHours() > 0) ? age.toHours() + "h" : age.toMinutes() + "m";
	}

	private static String describe(TopicSnapshot.Selection selection) {
		return "avro " + selection.avro() + ", raw " + selection.raw()
				+ (selection.wireFormat().isEmpty() ? "" : ", wire formats " + selection.wireFormat());
	}

}
