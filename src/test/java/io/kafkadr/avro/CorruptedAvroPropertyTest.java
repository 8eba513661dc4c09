package io.kafkadr.avro;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.LongStream;

import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Property: whatever bytes the decoder is given (here: valid data with bytes changed, cut,
 * inserted or repeated), it either rejects them with {@link AvroJsonException} and nothing else, or
 * writes JSON that is a faithful reading: when it reports a round trip the encoder gives back those
 * bytes, and otherwise the JSON still encodes to a datum that decodes, canonically, to the same
 * JSON. Rejections must leave the decoder as good as new.
 */
class CorruptedAvroPropertyTest {

	private static final int SEEDS = 150;

	private static final int MUTANTS_PER_SCHEMA = 10;

	private final Codec codec = new Codec();

	static LongStream seeds() {
		return LongStream.range(0, SEEDS);
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void corruptedBytesAreRejectedOrReadFaithfully(long seed) {
		Schema schema = new RandomSchemas(seed).next();
		RandomData data = new RandomData(seed);
		Random random = new Random(seed);
		for (int i = 0; i < MUTANTS_PER_SCHEMA; i++) {
			byte[] mutant = mutate(Codec.write(schema, data.datum(schema)), random);
			Supplier<String> context = () -> "seed " + seed + "\nschema: " + schema + "\nbytes: " + HexFormat.of().formatHex(mutant);
			Codec.Decoded decoded;
			try {
				decoded = this.codec.decode(schema, mutant);
			}
			catch (AvroJsonException ex) {
				assertThat(ex.getMessage()).as(context).isNotBlank();
				continue;
			}
			catch (RuntimeException ex) {
				fail(context.get() + "\nthrew " + ex, ex);
				return;
			}
			Supplier<String> withJson = () -> context.get() + "\njson: " + decoded.json();
			// This decoder has rejected other bytes before: it must answer as a fresh one does.
			assertThat(new Codec().decode(schema, mutant)).as(withJson).isEqualTo(decoded);
			readsFaithfully(schema, mutant, decoded, withJson);
		}
	}

	private void readsFaithfully(Schema schema, byte[] avro, Codec.Decoded decoded, Supplier<String> context) {
		JsonNode json = decoded.tree();
		byte[] reencoded = this.codec.encode(schema, json);
		if (decoded.roundTrips()) {
			assertThat(reencoded).as(context).isEqualTo(avro);
			return;
		}
		Codec.Decoded again = this.codec.decode(schema, reencoded);
		assertThat(again.roundTrips()).as(context).isTrue();
		assertThat(again.tree()).as(context).isEqualTo(json);
	}

	/** One to three random corruptions: a changed byte, a cut, an inserted or a repeated slice. */
	private static byte[] mutate(byte[] avro, Random random) {
		byte[] bytes = avro;
		for (int n = 1 + random.nextInt(3); n > 0; n--) {
			int at = random.nextInt(bytes.length + 1);
			bytes = switch (random.nextInt(5)) {
				case 0, 1 -> {
					if (at == bytes.length) {
						yield bytes;
					}
					byte[] changed = bytes.clone();
					changed[at] = (byte) ((random.nextBoolean()) ? random.nextInt(256) : changed[at] ^ (1 << random.nextInt(8)));
					yield changed;
				}
				case 2 -> Arrays.copyOf(bytes, at);
				case 3 -> {
					byte[] inserted = new byte[bytes.length + 1];
					System.arraycopy(bytes, 0, inserted, 0, at);
					inserted[at] = (byte) random.nextInt(256);
					System.arraycopy(bytes, at, inserted, at + 1, bytes.length - at);
					yield inserted;
				}
				default -> {
					int length = random.nextInt(bytes.length - at + 1);
					byte[] repeated = new byte[bytes.length + length];
					System.arraycopy(bytes, 0, repeated, 0, at + length);
					System.arraycopy(bytes, at, repeated, at + length, bytes.length - at);
					yield repeated;
				}
			};
		}
		return bytes;
	}

}
