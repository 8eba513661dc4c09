package io.kafkadr.restore;

import io.kafkadr.archive.ContentDigest;
import io.kafkadr.avro.WireFormat;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;

/**
 * The content digest of records read back from the target, computed as the backup computed it
 * from the source (see {@link ContentDigest}): an Avro payload counts by its writer schema's
 * fingerprint, found from the id it carries in the target, and its datum. With the original ids
 * kept, a record whose id was not the one its schema had in the backup finds another fingerprint
 * or none and breaks the digest. With new ids it counts the keys whose bytes changed, and of those
 * the ones the default partitioner now sends to another partition than the one holding their
 * history.
 */
class TargetDigester {

	private final boolean avroTopic;

	private final WireFormat prefixFormat;

	private final SchemaIdMapping ids;

	private final int partitionCount;

	private final ContentDigest digest = new ContentDigest();

	private String problem;

	private long keysRewritten;

	private long keysMoved;

	TargetDigester(boolean avroTopic, WireFormat prefixFormat, SchemaIdMapping ids, int partitionCount) {
		this(avroTopic, prefixFormat, ids, partitionCount, 0, 0, null);
	}

	/** Continues counting where a digester of the same partition stopped (a resumed validation). */
	TargetDigester(boolean avroTopic, WireFormat prefixFormat, SchemaIdMapping ids, int partitionCount,
			long keysRewritten, long keysMoved, String problem) {
		this.avroTopic = avroTopic;
		this.prefixFormat = prefixFormat;
		this.ids = ids;
		this.partitionCount = partitionCount;
		this.keysRewritten = keysRewritten;
		this.keysMoved = keysMoved;
		this.problem = problem;
	}

	/** The next chain value after this record. */
	byte[] chain(byte[] previous, ConsumerRecord<byte[], byte[]> record) {
		this.digest.begin(record.timestamp());
		payload(record.key(), this.avroTopic, true, record);
		payload(record.value(), this.avroTopic, false, record);
		Header[] headers = record.headers().toArray();
		this.digest.headerCount(headers.length);
		for (Header header : headers) {
			this.digest.headerName(header.key());
			payload(header.value(), false, false, record);
		}
		return this.digest.chain(previous, this.digest.finish());
	}

	/** The first record whose Avro schema id names no schema of the backup, or null. */
	String problem() {
		return this.problem;
	}

	/** Keys whose bytes differ from the backed-up ones because their schema got a new id. */
	long keysRewritten() {
		return this.keysRewritten;
	}

	/** Of those, the keys the default partitioner would now send to another partition. */
	long keysMoved() {
		return this.keysMoved;
	}

	private void payload(byte[] bytes, boolean avro, boolean key, ConsumerRecord<?, ?> record) {
		if (bytes == null) {
			this.digest.nullPayload();
			return;
		}
		WireFormat format = avro ? WireFormat.detect(record.headers(), key, this.prefixFormat) : null;
		if (format == null || !(format.inHeader() || format.framed(bytes))) {
			this.digest.bytes(bytes, 0, bytes.length);
			return;
		}
		long id = format.inHeader() ? WireFormat.headerId(record.headers().lastHeader(format.header(key)).value())
				: format.prefixId(bytes);
		String fingerprint = this.ids.fingerprint(format.idKind(), id);
		if (fingerprint == null) {
			// As the backup counted a payload whose id it could not resolve: as bytes. Had the backup decoded it,
			// the digests differ, and this names the first such record.
			if (this.problem == null) {
				this.problem = "the record at offset " + record.offset() + " carries " + format.label() + " schema id " + id
						+ ", which is no schema of the backup in the target registry";
			}
			this.digest.bytes(bytes, 0, bytes.length);
			return;
		}
		if (key && !this.ids.kept()) {
			countMovedKey(bytes, format, fingerprint);
		}
		this.digest.avro(fingerprint, bytes, format.prefixLength(), bytes.length - format.prefixLength());
	}

	private void countMovedKey(byte[] key, WireFormat format, String fingerprint) {
		Integer original = this.ids.originalId(fingerprint);
		if (original == null || original == format.prefixId(key)) {
			return;
		}
		this.keysRewritten++;
		byte[] before = key.clone();
		byte[] framing = format.encode(original, new byte[0]);
		System.arraycopy(framing, 0, before, 0, framing.length);
		if (partition(before) != partition(key)) {
			this.keysMoved++;
		}
	}

	/** The partition Kafka's default partitioner chooses for a keyed record. */
	private int partition(byte[] key) {
		return Utils.toPositive(Utils.murmur2(key)) % this.partitionCount;
	}

}
