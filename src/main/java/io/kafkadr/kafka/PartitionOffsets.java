package io.kafkadr.kafka;

import java.util.List;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** End offsets of partitions: how far a partition's log goes now. */
public final class PartitionOffsets {

	private final Admin admin;

	public PartitionOffsets(Admin admin) {
		this.admin = admin;
	}

	/** The end offset (next offset to be written) of each partition. */
	public Map<TopicPartition, Long> ends(Collection<TopicPartition> partitions) {
		Map<TopicPartition, OffsetSpec> request = new HashMap<>();
		partitions.forEach(partition -> request.put(partition, OffsetSpec.latest()));
		Map<TopicPartition, Long> ends = new HashMap<>();
		if (!request.isEmpty()) {
			TopicInspector.get(this.admin.listOffsets(request).all()).forEach((tp, info) -> ends.put(tp, info.offset()));
		}
		return ends;
	}

	public long end(TopicPartition partition) {
		return ends(List.of(partition)).get(partition);
	}

}
