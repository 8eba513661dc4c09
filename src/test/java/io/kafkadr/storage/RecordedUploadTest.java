package io.kafkadr.storage;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The multipart upload an appended S3 object's position records, as compact JSON. */
class RecordedUploadTest {

	@Test
	void aPositionRecordsTheUploadAndItsPartsAsCompactJson() {
		RecordedUpload upload = new RecordedUpload("upload-1", List.of())
			.with(new RecordedUpload.Part(1, "\"9b2cf535f27731c974343645a3985328\"", 8388608))
			.with(new RecordedUpload.Part(2, "\"a1\"", 8388610));

		Append position = upload.position(1000);

		assertThat(position.bytes()).isEqualTo(8388608 + 8388610 + 1000);
		assertThat(position.upload()).isEqualTo("{\"id\":\"upload-1\",\"parts\":[{\"n\":1,"
				+ "\"etag\":\"\\\"9b2cf535f27731c974343645a3985328\\\"\",\"bytes\":8388608},"
				+ "{\"n\":2,\"etag\":\"\\\"a1\\\"\",\"bytes\":8388610}]}");
		assertThat(RecordedUpload.of(position)).isEqualTo(upload);
		assertThat(upload.nextPart()).isEqualTo(3);
	}

	@Test
	void aPositionWithoutAnUploadHasNone() {
		assertThat(RecordedUpload.of(Append.EMPTY)).isNull();
	}

	@Test
	void anUploadKafkaDrDidNotWriteIsRefused() {
		assertThatExceptionOfType(StorageException.class)
			.isThrownBy(() -> RecordedUpload.of(new Append(10, "{\"id\":\"x\",\"parts\":[{\"n\":\"one\"}]}")))
			.withMessageContaining("not one kafka-dr wrote")
			.withMessageContaining("{\"id\":\"x\"");
	}

}
