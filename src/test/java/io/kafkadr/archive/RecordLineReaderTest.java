package io.kafkadr.archive;

import java.nio.charset.StandardCharsets;

import io.kafkadr.avro.WireFormat;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A segment line parsed token by token, as the restore and verify read every record: each field
 * wherever it stands, fields a later release may add skipped, and a line that is not a record
 * refused with what is wrong with it.
 */
class RecordLineReaderTest {

	private static final String FINGERPRINT = "0123456789abcdef0123456789abcdef";

	private final RecordLineReader reader = new RecordLineReader();

	@Test
	void readsEveryFieldOfABytesRecordInAnyOrderSkippingUnknownOnes() {
		ArchivedRecord record = this.reader.read("{\"future\":{\"a\":[1,2]},\"headers\":[{\"name\":\"h\",\"value\":"
				+ "{\"base64\":\"AP8=\"}},{\"value\":null,\"name\":\"h\"}],\"value\":{\"text\":\"v\",\"later\":1},"
				+ "\"key\":null,\"timestampType\":\"LogAppendTime\",\"timestamp\":-1,\"offset\":12345678901,\"partition\":3}");

		assertThat(record.partition()).isEqualTo(3);
		assertThat(record.offset()).isEqualTo(12345678901L);
		assertThat(record.timestamp()).isEqualTo(-1);
		assertThat(record.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
		assertThat(record.key()).isNull();
		assertThat(((Payload.Bytes) record.value()).bytes()).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
		assertThat(record.headers()).hasSize(2);
		assertThat(record.headers().get(0).name()).isEqualTo("h");
		assertThat(record.headers().get(0).value()).containsExactly(0, -1);
		assertThat(record.headers().get(1).value()).isNull();
	}

	@Test
	void readsAnAvroDatumAsATreeWithItsIdFormatAndRawBytes() {
		ArchivedRecord record = this.reader.read(line("{\"schema\":\"" + FINGERPRINT + "\",\"id\":7,\"wire\":"
				+ "\"apicurio-global-id\",\"avro\":{\"n\":1.5,\"s\":[\"x\"]},\"raw\":\"AQI=\"}",
				"{\"base64\":\"AAAA\",\"undecoded\":\"not a datum\",\"schema\":\"" + FINGERPRINT + "\"}"));

		Payload.Avro key = (Payload.Avro) record.key();
		assertThat(key.fingerprint()).isEqualTo(FINGERPRINT);
		assertThat(key.schemaId()).isEqualTo(7);
		assertThat(key.wire()).isEqualTo(WireFormat.ofLabel("apicurio-global-id"));
		assertThat(key.datum().toString()).isEqualTo("{\"n\":1.5,\"s\":[\"x\"]}");
		assertThat(key.raw()).containsExactly(1, 2);
		Payload.Bytes value = (Payload.Bytes) record.value();
		assertThat(value.undecoded()).isEqualTo("not a datum");
		assertThat(value.fingerprint()).isEqualTo(FINGERPRINT);
		assertThat(value.wire()).isEqualTo(WireFormat.CONFLUENT);
	}

	@Test
	void aLineThatIsNotARecordSaysWhatIsWrong() {
		assertMalformed("{\"partition\":0,", "not JSON");
		assertMalformed("[1]", "not a JSON object");
		assertMalformed(line("{\"text\":\"k\"}", "null").replace("\"key\":{\"text\":\"k\"},", ""), "missing \"key\"");
		assertMalformed(line("null", "null").replace("\"partition\":0", "\"partition\":\"0\""),
				"\"partition\" is not a whole number");
		assertMalformed(line("null", "null").replace("\"partition\":0", "\"partition\":4294967296"),
				"\"partition\" is 4294967296, not a partition number");
		assertMalformed(line("null", "null").replace("\"partition\":0", "\"partition\":-1"), "not a partition number");
		assertMalformed(line("null", "null").replace("\"headers\":[]", "\"headers\":{}"), "\"headers\" is not an array");
		assertMalformed(line("null", "null").replace("\"headers\":[]", "\"headers\":[{\"name\":\"h\",\"value\":{\"schema\":\""
				+ FINGERPRINT + "\",\"id\":1,\"avro\":1}}]"), "a header value cannot be Avro");
		assertMalformed(line("\"k\"", "null"), "key is neither null nor an object");
		assertMalformed(line("{\"other\":1}", "null"), "key is neither null nor an object");
		assertMalformed(line("null", "{\"schema\":\"" + FINGERPRINT + "\",\"id\":1,\"wire\":\"smoke-signals\",\"avro\":1}"),
				"value names the wire format \"smoke-signals\"");
		assertMalformed(line("null", "{\"base64\":\"@@@\"}"), "not JSON");
		assertMalformed(line("null", "null").replace("\"CreateTime\"", "\"Yesterday\""), "Yesterday");
	}

	private void assertMalformed(String line, String problem) {
		assertThatThrownBy(() -> this.reader.read(line)).as(line)
			.isInstanceOf(MalformedLineException.class)
			.hasMessageContaining(problem);
	}

	private static String line(String key, String value) {
		return "{\"partition\":0,\"offset\":1,\"timestamp\":2,\"timestampType\":\"CreateTime\",\"key\":" + key
				+ ",\"value\":" + value + ",\"headers\":[]}";
	}

}
