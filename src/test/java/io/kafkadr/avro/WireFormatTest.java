package io.kafkadr.avro;

import java.util.HexFormat;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** How each wire format frames an id, and which one a key or value of an Avro topic is read in. */
class WireFormatTest {

	private static final byte[] DATUM = { 0, 4, 'r', 'o' };

	@Test
	void framesIdsInFrontAsEachSerializerDoes() {
		assertThat(HexFormat.of().formatHex(WireFormat.CONFLUENT.encode(258, DATUM))).isEqualTo("00" + "00000102" + "0004726f");
		assertThat(HexFormat.of().formatHex(WireFormat.APICURIO_GLOBAL_ID.encode(258, DATUM)))
			.isEqualTo("00" + "0000000000000102" + "0004726f");
		assertThat(WireFormat.APICURIO_HEADER_GLOBAL_ID.encode(258, DATUM)).isEqualTo(DATUM);
		for (WireFormat format : new WireFormat[] { WireFormat.CONFLUENT, WireFormat.APICURIO_GLOBAL_ID,
				WireFormat.APICURIO_CONTENT_ID }) {
			byte[] payload = format.encode(4_000_000_000L & 0x7fffffffL, DATUM);
			assertThat(format.framed(payload)).isTrue();
			assertThat(format.prefixId(payload)).isEqualTo(4_000_000_000L & 0x7fffffffL);
		}
		assertThat(WireFormat.headerId(WireFormat.headerValue(33))).isEqualTo(33L);
		assertThat(WireFormat.headerId(new byte[] { 1, 2 })).isNull();
	}

	@Test
	void aPlainDatumStartingWithZeroIsReadByItsHeaderNotAsAPrefix() {
		RecordHeaders headers = new RecordHeaders();
		headers.add("apicurio.value.globalId", WireFormat.headerValue(7));
		assertThat(WireFormat.detect(headers, false, WireFormat.CONFLUENT)).isEqualTo(WireFormat.APICURIO_HEADER_GLOBAL_ID);
		// the key has no header of its own: the topic's prefix format
		assertThat(WireFormat.detect(headers, true, WireFormat.CONFLUENT)).isEqualTo(WireFormat.CONFLUENT);
		headers.add("apicurio.key.contentId", WireFormat.headerValue(3));
		assertThat(WireFormat.detect(headers, true, WireFormat.CONFLUENT)).isEqualTo(WireFormat.APICURIO_HEADER_CONTENT_ID);
	}

	@Test
	void anIdHeaderThatIsNotEightBytesIsNoEvidence() {
		RecordHeaders headers = new RecordHeaders();
		headers.add("apicurio.value.globalId", new byte[] { 7 });
		assertThat(WireFormat.detect(headers, false, WireFormat.APICURIO_GLOBAL_ID)).isEqualTo(WireFormat.APICURIO_GLOBAL_ID);
	}

	@Test
	void confluentSchemaGuidsAreRecognisedAndNeverDecoded() {
		RecordHeaders headers = new RecordHeaders();
		headers.add(WireFormat.CONFLUENT_VALUE_GUID_HEADER, new byte[17]);
		assertThat(WireFormat.detect(headers, false, WireFormat.CONFLUENT)).isNull();
		assertThat(WireFormat.detect(headers, true, WireFormat.CONFLUENT)).isEqualTo(WireFormat.CONFLUENT);
	}

	@Test
	void labelsRoundTrip() {
		for (WireFormat format : WireFormat.values()) {
			assertThat(WireFormat.ofLabel(format.label())).isEqualTo(format);
		}
		assertThat(WireFormat.ofLabel("protobuf")).isNull();
	}

}
