package io.kafkadr.archive;

import io.kafkadr.avro.WireFormat;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A segment line read in outline, as a restore reads every line before writing anything: the same
 * timestamp and Apicurio-id verdict as the full parse, without decoding a datum.
 */
class RecordOutlineTest {

	private static final String FINGERPRINT = "0123456789abcdef0123456789abcdef";

	private final RecordLineReader reader = new RecordLineReader();

	@Test
	void readsTheTimestampWhereverItStands() {
		assertThat(this.reader.outline(line("{\"text\":\"k\"}", "null", 42))).isEqualTo(new RecordOutline(42, false));
		assertThat(this.reader.outline("{\"headers\":[],\"key\":null,\"value\":null,\"timestamp\":-7,\"offset\":3,"
				+ "\"partition\":0,\"timestampType\":\"CreateTime\"}")).isEqualTo(new RecordOutline(-7, false));
	}

	@Test
	void anAvroPayloadFramedWithAnApicurioIdCarriesOne() {
		String confluent = avro(null);
		String global = avro("apicurio-global-id");
		String contentHeader = avro("apicurio-header-content-id");
		assertThat(this.reader.outline(line(confluent, confluent, 1)).apicurioId()).isFalse();
		assertThat(this.reader.outline(line(confluent, global, 1)).apicurioId()).isTrue();
		assertThat(this.reader.outline(line(contentHeader, "null", 1)).apicurioId()).isTrue();
		// Both agree with the full parse, which the restore re-encodes from.
		ArchivedRecord parsed = this.reader.read(line(confluent, global, 1));
		assertThat(((Payload.Avro) parsed.value()).wire().idKind()).isEqualTo(WireFormat.IdKind.GLOBAL);
	}

	@Test
	void bytesKeptUndecodedCarryNoIdToRenumberEvenWithTheirFormat() {
		String undecoded = "{\"base64\":\"AAAA\",\"undecoded\":\"not a datum\",\"schema\":\"" + FINGERPRINT
				+ "\",\"wire\":\"apicurio-global-id\"}";
		assertThat(this.reader.outline(line("null", undecoded, 5))).isEqualTo(new RecordOutline(5, false));
	}

	@Test
	void aLineThatIsNotARecordIsMalformed() {
		assertThatThrownBy(() -> this.reader.outline("{\"partition\":0,")).isInstanceOf(MalformedLineException.class)
			.hasMessageContaining("not JSON");
		assertThatThrownBy(() -> this.reader.outline("[1]")).isInstanceOf(MalformedLineException.class)
			.hasMessageContaining("not a JSON object");
		assertThatThrownBy(() -> this.reader.outline("{\"partition\":0,\"timestamp\":\"yesterday\"}"))
			.isInstanceOf(MalformedLineException.class)
			.hasMessageContaining("timestamp");
	}

	private static String avro(String wire) {
		return "{\"schema\":\"" + FINGERPRINT + "\",\"id\":7" + ((wire != null) ? ",\"wire\":\"" + wire + "\"" : "")
				+ ",\"avro\":{\"id\":1,\"nested\":{\"wire\":\"apicurio-global-id\"}}}";
	}

	private static String line(String key, String value, long timestamp) {
		return "{\"partition\":0,\"offset\":1,\"timestamp\":" + timestamp + ",\"timestampType\":\"CreateTime\",\"key\":" + key
				+ ",\"value\":" + value + ",\"headers\":[{\"name\":\"h\",\"value\":{\"text\":\"x\"}}]}";
	}

}
