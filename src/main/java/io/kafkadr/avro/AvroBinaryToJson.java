package io.kafkadr.avro;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;

/**
 * Decodes Avro binary straight into readable JSON, driven by the writer schema, without building
 * an intermediate datum.
 *
 * <p>While it decodes, it re-encodes every value the way {@link JsonToAvroBinary} will encode the
 * JSON it writes (the <em>shadow</em>). {@link #decode} reports whether the shadow equals the input:
 * when it does not (a non-minimal varint, arrays split into several blocks, invalid UTF-8, a map
 * with a repeated key, a boolean byte other than 0 or 1, a NaN with a payload, trailing bytes), the
 * JSON is still a faithful reading but the caller must keep the original bytes too. One instance
 * per thread: it reuses its buffers.
 */
public final class AvroBinaryToJson {

	private static final long MAX_ITEMS = 50_000_000L;

	private final ByteArrayOutputStream shadowBytes = new ByteArrayOutputStream(1024);

	private BinaryDecoder in;

	private BinaryEncoder shadow;

	private Utf8 text = new Utf8();

	private ByteBuffer bytes;

	private boolean canonical;

	private long items;

	/**
	 * Writes the datum in {@code data[offset, offset + length)} as JSON.
	 * @return true when {@link JsonToAvroBinary} gives back exactly these bytes from the JSON
	 * @throws AvroJsonException when the bytes are not a datum of this schema
	 * @throws JacksonException when the JSON cannot be written
	 */
	public boolean decode(Schema schema, byte[] data, int offset, int length, JsonGenerator json) {
		this.in = DecoderFactory.get().binaryDecoder(data, offset, length, this.in);
		// Reconfiguring flushes what a datum rejected half-way left in the shadow's buffer: reset the
		// bytes after it, or those bytes would precede this shadow and it could not equal the input.
		this.shadow = EncoderFactory.get().binaryEncoder(this.shadowBytes, this.shadow);
		this.shadowBytes.reset();
		this.canonical = true;
		this.items = 0;
		try {
			write(schema, json);
			this.shadow.flush();
			return this.canonical && this.in.isEnd()
					&& Arrays.equals(this.shadowBytes.toByteArray(), 0, this.shadowBytes.size(), data, offset, offset + length);
		}
		catch (JacksonException ex) {
			// Writing the JSON failed, not reading the datum: good bytes must not pass for bad ones.
			throw ex;
		}
		catch (IOException | RuntimeException ex) {
			if (ex instanceof AvroJsonException avroJson) {
				throw avroJson;
			}
			throw new AvroJsonException("not a valid Avro datum of schema " + schema.getFullName() + ": " + ex, ex);
		}
	}

	private void write(Schema schema, JsonGenerator json) throws IOException {
		switch (schema.getType()) {
			case NULL -> {
				this.in.readNull();
				this.shadow.writeNull();
				json.writeNull();
			}
			case BOOLEAN -> {
				boolean value = this.in.readBoolean();
				this.shadow.writeBoolean(value);
				json.writeBoolean(value);
			}
			case INT -> {
				int value = this.in.readInt();
				this.shadow.writeInt(value);
				json.writeNumber(value);
			}
			case LONG -> {
				long value = this.in.readLong();
				this.shadow.writeLong(value);
				json.writeNumber(value);
			}
			case FLOAT -> writeFloat(json);
			case DOUBLE -> writeDouble(json);
			case STRING -> {
				this.text = this.in.readString(this.text);
				String value = this.text.toString();
				this.shadow.writeString(value);
				json.writeString(value);
			}
			case BYTES -> {
				this.bytes = this.in.readBytes(this.bytes);
				byte[] value = new byte[this.bytes.remaining()];
				this.bytes.get(value);
				writeBinary(schema, value, -1, json);
			}
			case FIXED -> {
				byte[] value = new byte[schema.getFixedSize()];
				this.in.readFixed(value, 0, value.length);
				writeBinary(schema, value, value.length, json);
			}
			case ENUM -> {
				int index = this.in.readEnum();
				if (index < 0 || index >= schema.getEnumSymbols().size()) {
					throw new AvroJsonException("enum " + schema.getFullName() + " has no symbol at index " + index);
				}
				this.shadow.writeEnum(index);
				json.writeString(schema.getEnumSymbols().get(index));
			}
			case ARRAY -> writeArray(schema, json);
			case MAP -> writeMap(schema, json);
			case UNION -> writeUnion(schema, json);
			case RECORD -> {
				json.writeStartObject();
				for (Schema.Field field : schema.getFields()) {
					json.writeName(field.name());
					write(field.schema(), json);
				}
				json.writeEndObject();
			}
		}
	}

	private void writeFloat(JsonGenerator json) throws IOException {
		float value = this.in.readFloat();
		// A NaN payload is not representable in JSON: the shadow writes the canonical NaN.
		this.shadow.writeFloat(Float.isNaN(value) ? Float.NaN : value);
		String special = JsonRepresentation.specialFloatingPoint(value);
		if (special != null) {
			json.writeString(special);
		}
		else {
			json.writeNumber(value);
		}
	}

	private void writeDouble(JsonGenerator json) throws IOException {
		double value = this.in.readDouble();
		this.shadow.writeDouble(Double.isNaN(value) ? Double.NaN : value);
		String special = JsonRepresentation.specialFloatingPoint(value);
		if (special != null) {
			json.writeString(special);
		}
		else {
			json.writeNumber(value);
		}
	}

	private void writeBinary(Schema schema, byte[] value, int fixedSize, JsonGenerator json) throws IOException {
		int scale = JsonRepresentation.decimalScale(schema);
		byte[] reencoded = value;
		if (scale >= 0) {
			String decimal = JsonRepresentation.decimalText(value, scale);
			reencoded = JsonRepresentation.decimalBytes(decimal, scale, fixedSize);
			json.writeString(decimal);
		}
		else {
			json.writeBinary(value);
		}
		if (fixedSize < 0) {
			this.shadow.writeBytes(reencoded);
		}
		else {
			this.shadow.writeFixed(reencoded);
		}
	}

	private void writeArray(Schema schema, JsonGenerator json) throws IOException {
		json.writeStartArray();
		this.shadow.writeArrayStart();
		long count = this.in.readArrayStart();
		this.shadow.setItemCount(count);
		int blocks = 0;
		for (; count != 0; count = this.in.arrayNext()) {
			blocks++;
			countItems(count);
			for (long i = 0; i < count; i++) {
				this.shadow.startItem();
				write(schema.getElementType(), json);
			}
		}
		// JSON keeps no block boundaries: the encoder writes one block.
		this.canonical &= blocks <= 1;
		this.shadow.writeArrayEnd();
		json.writeEndArray();
	}

	private void writeMap(Schema schema, JsonGenerator json) throws IOException {
		json.writeStartObject();
		this.shadow.writeMapStart();
		long count = this.in.readMapStart();
		this.shadow.setItemCount(count);
		int blocks = 0;
		Set<String> keys = new HashSet<>();
		for (; count != 0; count = this.in.mapNext()) {
			blocks++;
			countItems(count);
			for (long i = 0; i < count; i++) {
				this.shadow.startItem();
				this.text = this.in.readString(this.text);
				String key = this.text.toString();
				// A JSON object cannot hold the same name twice.
				this.canonical &= keys.add(key);
				this.shadow.writeString(key);
				json.writeName(key);
				write(schema.getValueType(), json);
			}
		}
		this.canonical &= blocks <= 1;
		this.shadow.writeMapEnd();
		json.writeEndObject();
	}

	private void writeUnion(Schema schema, JsonGenerator json) throws IOException {
		int index = this.in.readIndex();
		if (index < 0 || index >= schema.getTypes().size()) {
			throw new AvroJsonException("union " + schema + " has no branch at index " + index);
		}
		Schema branch = schema.getTypes().get(index);
		this.shadow.writeIndex(index);
		if (branch.getType() == Schema.Type.NULL) {
			this.in.readNull();
			json.writeNull();
			return;
		}
		json.writeStartObject();
		json.writeName(JsonRepresentation.branchName(branch));
		write(branch, json);
		json.writeEndObject();
	}

	private void countItems(long count) {
		this.items += count;
		// Items of a zero-width type (null, empty records) consume no bytes, so a corrupt count
		// would otherwise spin for a very long time.
		if (count < 0 || this.items > MAX_ITEMS) {
			throw new AvroJsonException("implausible array or map length " + this.items);
		}
	}

}
