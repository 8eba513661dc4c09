package io.kafkadr.kafka;

import org.springframework.batch.infrastructure.item.ItemStreamException;

/**
 * Records a backup has yet to read were deleted by retention: the backup can never complete, so
 * a plain {@code backup} marks it abandoned and starts a new one rather than resume it forever.
 */
public class RangeDeletedException extends ItemStreamException {

	public RangeDeletedException(String message, Throwable cause) {
		super(message, cause);
	}

}
