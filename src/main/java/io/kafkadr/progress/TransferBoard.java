package io.kafkadr.progress;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The topic-partitions the running job has moved or is moving, for the progress lines, the live
 * display and the summary at its end. One job runs per command, so one board serves both jobs.
 */
public final class TransferBoard {

	private final List<Transfer> transfers = new CopyOnWriteArrayList<>();

	Transfer start(String operation, String topic, int partition, long expected, boolean exact, long records,
			long bytes, long advanced) {
		Transfer transfer = new Transfer(operation, topic, partition, expected, exact, records, bytes, advanced,
				System.nanoTime());
		this.transfers.add(transfer);
		return transfer;
	}

	List<Transfer> transfers() {
		return List.copyOf(this.transfers);
	}

	void clear() {
		this.transfers.clear();
	}

	/** Forgets the partitions that ended: a worker serves partitions for as long as it runs. */
	void forgetFinished() {
		this.transfers.removeIf((transfer) -> !transfer.active());
	}

}
