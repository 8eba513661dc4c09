package io.kafkadr.registry;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * One answer from the registry: its status, and its body as JSON when it is JSON.
 *
 * @param json the parsed body; a missing node when the body is empty or not JSON
 */
record RegistryAnswer(int status, String body, JsonNode json) {

	static RegistryAnswer of(int status, String body, JsonMapper mapper) {
		if (body == null || body.isBlank()) {
			return new RegistryAnswer(status, "", MissingNode.getInstance());
		}
		try {
			return new RegistryAnswer(status, body, mapper.readTree(body));
		}
		catch (JacksonException ex) {
			// Proxies and load balancers answer errors in HTML or plain text; keep the text for the message.
			return new RegistryAnswer(status, body, MissingNode.getInstance());
		}
	}

	boolean ok() {
		return this.status >= 200 && this.status < 300;
	}

	/** Confluent's {@code error_code}, or 0 when the registry sent none. */
	int errorCode() {
		return this.json.path("error_code").asInt(0);
	}

	/** The status with the registry's {@code error_code} and {@code message}, for exception messages. */
	String describe() {
		JsonNode message = this.json.path("message");
		String text = message.isString() ? message.stringValue() : (this.json.isMissingNode() ? abbreviated() : null);
		StringBuilder description = new StringBuilder("HTTP ").append(this.status);
		if (errorCode() != 0 || (text != null && !text.isEmpty())) {
			description.append(" (");
			if (errorCode() != 0) {
				description.append("error_code ").append(errorCode()).append(text != null ? ": " : "");
			}
			description.append(text != null ? text : "").append(")");
		}
		return description.toString();
	}

	private String abbreviated() {
		String oneLine = this.body.strip().replaceAll("\\s+", " ");
		return (oneLine.length() <= 200) ? oneLine : oneLine.substring(0, 200) + "...";
	}

}
