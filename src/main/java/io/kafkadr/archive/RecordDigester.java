package io.kafkadr.archive;

/**
 * Computes the content digest of archived records, re-encoding Avro payloads from their JSON, so
 * that a verification or a restore proves the backup decodes to the bytes that were backed up.
 * One instance per thread.
 */
public final class RecordDigester {

	private final DatumEncoder datums;

	private final ContentDigest digest = new ContentDigest();

	public RecordDigester(DatumEncoder datums) {
		this.datums = datums;
	}

	/** The next chain value after this record. */
	public byte[] chain(byte[] previous, ArchivedRecord record) {
		this.digest.begin(record.timestamp());
		payload(record.key());
		payload(record.value());
		this.digest.headerCount(record.headers().size());
		for (ArchivedRecord.Header header : record.headers()) {
			this.digest.headerName(header.name());
			if (header.value() == null) {
				this.digest.nullPayload();
			}
			else {
				this.digest.bytes(header.value(), 0, header.value().length);
			}
		}
		return this.digest.chain(previous, this.digest.finish());
	}

	private void payload(Payload payload) {
		switch (payload) {
			case null -> this.digest.nullPayload();
			case Payload.Bytes bytes when bytes.fingerprint() != null -> this.digest.avro(bytes.fingerprint(), bytes.bytes(),
					bytes.wire().prefixLength(), bytes.bytes().length - bytes.wire().prefixLength());
			case Payload.Bytes bytes -> this.digest.bytes(bytes.bytes(), 0, bytes.bytes().length);
			case Payload.Avro avro -> {
				byte[] datum = this.datums.datum(avro);
				if (avro.raw() != null) {
					// the JSON must still fit its schema, even when the exact bytes are kept beside it
					this.datums.encodeJson(avro);
				}
				this.digest.avro(avro.fingerprint(), datum, 0, datum.length);
			}
		}
	}

}
