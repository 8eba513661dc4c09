package io.kafkadr.storage;

import java.time.Instant;

/** One object of a store, as listed: its key, size and when it was last written. */
public record StoredObject(String key, long size, Instant lastModified) {

	/** The last '/'-separated part of the key. */
	public String name() {
		return this.key.substring(this.key.lastIndexOf('/') + 1);
	}

}
