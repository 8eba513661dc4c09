package io.kafkadr.archive;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The segment writer's own UTF-8 check decides text or base64 for every raw payload: it must agree
 * with the JDK's strict decoder, which it replaced on the hot path, on every input.
 */
class Utf8CheckTest {

	private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
		.onMalformedInput(CodingErrorAction.REPORT)
		.onUnmappableCharacter(CodingErrorAction.REPORT);

	@Test
	void agreesWithTheJdkOnEveryTwoAndThreeByteSequence() {
		byte[] two = new byte[2];
		byte[] three = new byte[3];
		for (int a = 0; a < 256; a++) {
			for (int b = 0; b < 256; b++) {
				two[0] = (byte) a;
				two[1] = (byte) b;
				assertAgrees(two);
				for (int c : new int[] { 0x7F, 0x80, 0xBF, 0xC0 }) {
					three[0] = (byte) a;
					three[1] = (byte) b;
					three[2] = (byte) c;
					assertAgrees(three);
				}
			}
		}
	}

	@Test
	void agreesWithTheJdkOnRandomText() {
		SplittableRandom random = new SplittableRandom(17);
		int[] interesting = { 0x00, 0x22, 0x41, 0x5C, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
				0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF };
		for (int i = 0; i < 300_000; i++) {
			// Long runs of ASCII with a rare other byte anywhere exercise the check's eight-bytes-at-a-time path.
			byte[] bytes = new byte[random.nextInt(40)];
			int ascii = random.nextInt(100);
			for (int j = 0; j < bytes.length; j++) {
				bytes[j] = (byte) ((random.nextInt(100) < ascii) ? random.nextInt(0x80)
						: random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : random.nextInt(256));
			}
			assertAgrees(bytes);
		}
		assertAgrees("Grüße, 東京, 🎉".getBytes(StandardCharsets.UTF_8));
	}

	private void assertAgrees(byte[] bytes) {
		boolean jdk;
		try {
			this.strict.reset().decode(ByteBuffer.wrap(bytes));
			jdk = true;
		}
		catch (CharacterCodingException ex) {
			jdk = false;
		}
		if (RecordLineWriter.isUtf8(bytes) != jdk) {
			assertThat(RecordLineWriter.isUtf8(bytes)).as(HexFormat.of().formatHex(bytes)).isEqualTo(jdk);
		}
	}

}
