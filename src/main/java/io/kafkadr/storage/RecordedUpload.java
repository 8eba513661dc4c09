package io.kafkadr.storage;

import java.util.List;
import java.util.stream.Stream;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The multipart upload an S3 object is appended through, as {@link Append#upload} records it: the
 * upload's id and the parts uploaded so far, in order. The bytes appended after the last part (the
 * tail) are not here; {@link Append#bytes} less the parts' bytes is their length.
 */
record RecordedUpload(String id, List<Part> parts) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	RecordedUpload {
		parts = List.copyOf(parts);
	}

	/** The upload a position records; {@code null} for one with none (nothing was appended). */
	static RecordedUpload of(Append position) {
		if (position.upload() == null) {
			return null;
		}
		try {
			return JSON.readValue(position.upload(), RecordedUpload.class);
		}
		catch (JacksonException ex) {
			throw new StorageException("The recorded position of an S3 object is not one kafka-dr wrote ("
					+ ex.getOriginalMessage() + "): " + position.upload(), ex);
		}
	}

	/** The position of an object appended through this upload, with {@code tail} bytes after its parts. */
	Append position(long tail) {
		return new Append(partBytes() + tail, JSON.writeValueAsString(this));
	}

	/** The bytes of the uploaded parts together. */
	long partBytes() {
		return this.parts.stream().mapToLong(Part::bytes).sum();
	}

	/** The number the next part is uploaded as: S3 numbers them from 1. */
	int nextPart() {
		return this.parts.size() + 1;
	}

	/** This upload with one more part. */
	RecordedUpload with(Part part) {
		return new RecordedUpload(this.id, Stream.concat(this.parts.stream(), Stream.of(part)).toList());
	}

	/** An uploaded part: its number, the ETag S3 gave it (which completing the upload names) and its length. */
	record Part(int n, String etag, long bytes) {
	}

}
