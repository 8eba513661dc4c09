package io.kafkadr.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * How Apicurio's Kafka Connect {@code AvroConverter} (apicurio-registry-utils-converter 2.6) is set
 * up, and so where the schema id of what it writes is: in front of the payload or in a header. The
 * property names are those of Apicurio's {@code SerdeConfig} and {@code SchemaResolverConfig}, the
 * header names those of its {@code SerdeHeaders}.
 */
public enum ApicurioConverter {

	/**
	 * {@code as-confluent=true}, {@code headers.enabled=false}, {@code use-id=contentId}: magic byte
	 * 0 and the 4-byte content id (the id of Apicurio's Confluent-compatible API) before the Avro
	 * datum, the Confluent wire format.
	 */
	CONFLUENT_PREFIX(Map.of("apicurio.registry.as-confluent", "true", "apicurio.registry.headers.enabled", "false",
			"apicurio.registry.use-id", "contentId"), "contentIds"),

	/**
	 * Apicurio's defaults: the 8-byte global id in the {@code apicurio.key.globalId} and
	 * {@code apicurio.value.globalId} headers, and the payload plain Avro.
	 */
	HEADERS(Map.of(), "globalIds");

	/** The converter's class, for {@code key.converter} and {@code value.converter}. */
	public static final String CLASS = "io.apicurio.registry.utils.converter.AvroConverter";

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final Map<String, String> settings;

	private final String idKind;

	ApicurioConverter(Map<String, String> settings, String idKind) {
		this.settings = settings;
		this.idKind = idKind;
	}

	/**
	 * The Connect worker properties that make this the key and the value converter of every connector
	 * of the worker, registering schemas in the registry whose Confluent-compatible API is at
	 * {@code registryUrl}.
	 */
	public Map<String, String> workerProperties(String registryUrl) {
		Map<String, String> properties = new HashMap<>();
		for (String side : new String[] { "key", "value" }) {
			properties.put(side + ".converter", CLASS);
			properties.put(side + ".converter.apicurio.registry.url", nativeApi(registryUrl));
			properties.put(side + ".converter.apicurio.registry.auto-register", "true");
			this.settings.forEach((name, value) -> properties.put(side + ".converter." + name, value));
		}
		return properties;
	}

	/** The schema id the converter wrote for the record's key or value, or null for a null payload. */
	public Long schemaId(ConsumerRecord<byte[], byte[]> record, boolean key) {
		byte[] payload = key ? record.key() : record.value();
		if (payload == null) {
			return null;
		}
		if (this == CONFLUENT_PREFIX) {
			if (payload.length < 5 || payload[0] != 0) {
				throw new IllegalStateException("Not in the Confluent wire format: " + Arrays.toString(payload));
			}
			return (long) ByteBuffer.wrap(payload, 1, 4).getInt();
		}
		Header header = record.headers().lastHeader("apicurio." + (key ? "key" : "value") + ".globalId");
		if (header == null) {
			throw new IllegalStateException("No apicurio global id header on " + record.topic() + "-" + record.partition()
					+ "@" + record.offset());
		}
		return ByteBuffer.wrap(header.value()).getLong();
	}

	/**
	 * The schema the registry whose Confluent-compatible API is at {@code registryUrl} holds under
	 * {@code id} (a content id or a global id, as this mode writes), or null when it has none.
	 */
	public Schema schema(String registryUrl, long id) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(nativeApi(registryUrl) + "/ids/" + this.idKind + "/" + id))
			.timeout(Duration.ofSeconds(10))
			.build();
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 404) {
				return null;
			}
			if (response.statusCode() != 200) {
				throw new IllegalStateException(request.uri() + " answered HTTP " + response.statusCode() + " "
						+ response.body());
			}
			return new Schema.Parser().parse(response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException(request.uri() + " did not answer", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	/**
	 * Decodes the record's key or value with the schema that the registry at {@code registryUrl}
	 * holds under its id; null for a null payload (a tombstone's value).
	 */
	public GenericRecord decode(ConsumerRecord<byte[], byte[]> record, boolean key, String registryUrl) {
		return decode(record, key, id -> schema(registryUrl, id));
	}

	/**
	 * Decodes the record's key or value with the schema {@code schemas} gives for its id; null for a
	 * null payload (a tombstone's value).
	 */
	public GenericRecord decode(ConsumerRecord<byte[], byte[]> record, boolean key, LongFunction<Schema> schemas) {
		Long id = schemaId(record, key);
		if (id == null) {
			return null;
		}
		Schema schema = schemas.apply(id);
		if (schema == null) {
			throw new IllegalStateException("No schema " + this.idKind + "/" + id + " for " + record.topic() + "-"
					+ record.partition() + "@" + record.offset());
		}
		byte[] payload = key ? record.key() : record.value();
		int start = (this == CONFLUENT_PREFIX) ? 5 : 0;
		try {
			return new GenericDatumReader<GenericRecord>(schema)
				.read(null, DecoderFactory.get().binaryDecoder(payload, start, payload.length - start, null));
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not decode " + record.topic() + "-" + record.partition() + "@"
					+ record.offset() + " with " + this.idKind + "/" + id, ex);
		}
	}

	/** Apicurio's native v2 API, which the 2.6 converter talks to, beside the Confluent-compatible one. */
	public static String nativeApi(String registryUrl) {
		int ccompat = registryUrl.indexOf("/apis/ccompat/");
		if (ccompat < 0) {
			throw new IllegalArgumentException("Not an Apicurio Confluent-compatible API URL: " + registryUrl);
		}
		return registryUrl.substring(0, ccompat) + "/apis/registry/v2";
	}

}
