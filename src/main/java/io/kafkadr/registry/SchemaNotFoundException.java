package io.kafkadr.registry;

/** No schema has the requested global id in the registry. */
public class SchemaNotFoundException extends RegistryException {

	private final int id;

	public SchemaNotFoundException(int id, String registryUrl, int errorCode) {
		super("Schema id " + id + " is not in the schema registry at " + registryUrl + ".", 404, errorCode);
		this.id = id;
	}

	public int id() {
		return this.id;
	}

}
