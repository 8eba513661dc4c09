package io.kafkadr.http;

import java.net.http.HttpHeaders;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/** One answer of an HTTP API: its status, and its body as bytes, text or JSON. */
public final class HttpAnswer {

	private final int status;

	private final byte[] body;

	private final Charset charset;

	private JsonNode json;

	HttpAnswer(int status, byte[] body, HttpHeaders headers) {
		this.status = status;
		this.body = body;
		this.charset = charset(headers);
	}

	public int status() {
		return this.status;
	}

	/** Whether the status is 2xx. */
	public boolean ok() {
		return this.status >= 200 && this.status < 300;
	}

	public byte[] bytes() {
		return this.body;
	}

	public String text() {
		return new String(this.body, this.charset);
	}

	/** The body as JSON; a missing node when it is empty or not JSON. */
	public JsonNode json() {
		if (this.json == null) {
			this.json = parse(text());
		}
		return this.json;
	}

	/** The body on one line of at most 200 characters, for messages. */
	public String abbreviated() {
		String oneLine = text().strip().replaceAll("\\s+", " ");
		return (oneLine.length() <= 200) ? oneLine : oneLine.substring(0, 200) + "...";
	}

	private static JsonNode parse(String text) {
		if (text.isBlank()) {
			return MissingNode.getInstance();
		}
		try {
			return HttpEndpoint.JSON.readTree(text);
		}
		catch (JacksonException ex) {
			// Proxies and load balancers answer errors in HTML or plain text; the text is kept for the message.
			return MissingNode.getInstance();
		}
	}

	/** The Content-Type's charset, else UTF-8: what the JDK's {@code BodyHandlers.ofString()} decodes with. */
	private static Charset charset(HttpHeaders headers) {
		for (String parameter : headers.firstValue("Content-Type").orElse("").split(";")) {
			String[] pair = parameter.split("=", 2);
			if (pair.length == 2 && pair[0].strip().equalsIgnoreCase("charset")) {
				try {
					return Charset.forName(pair[1].strip().replace("\"", ""));
				}
				catch (IllegalArgumentException ex) {
					return StandardCharsets.UTF_8;
				}
			}
		}
		return StandardCharsets.UTF_8;
	}

}
