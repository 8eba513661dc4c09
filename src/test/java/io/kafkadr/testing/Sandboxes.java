package io.kafkadr.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryProperties;
import io.kafkadr.sandbox.KafkaSandbox;
import io.kafkadr.sandbox.RegistrySandbox;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** A real broker and a real registry for one test class, started side by side. */
public final class Sandboxes implements AutoCloseable {

	private final KafkaSandbox kafka;

	private final RegistrySandbox registry;

	private Sandboxes(KafkaSandbox kafka, RegistrySandbox registry) {
		this.kafka = kafka;
		this.registry = registry;
	}

	public static Sandboxes start() {
		CompletableFuture<RegistrySandbox> registry = CompletableFuture.supplyAsync(RegistrySandbox::start);
		KafkaSandbox kafka = KafkaSandbox.start();
		return new Sandboxes(kafka, registry.join());
	}

	public KafkaSandbox kafka() {
		return this.kafka;
	}

	public RegistrySandbox registry() {
		return this.registry;
	}

	public String bootstrapServers() {
		return this.kafka.bootstrapServers();
	}

	/** The broker's cluster id, which a restore names its target by. */
	public String clusterId() {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
			return admin.describeCluster().clusterId().get();
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Could not read the sandbox's cluster id", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while reading the sandbox's cluster id", ex);
		}
	}

	public RegistryClient registryClient() {
		return new RegistryClient(RegistryProperties.forUrl(this.registry.url()).withRetries(3, null));
	}

	/**
	 * The properties that point kafka-dr at these sandboxes and at a storage location, with
	 * {@code more} added or replacing them (Spring would join a repeated property into a list).
	 */
	public List<String> properties(Path storage, String... more) {
		List<String> properties = new ArrayList<>(List.of(more));
		for (String standard : List.of("--spring.kafka.bootstrap-servers=" + bootstrapServers(),
				"--kafka-dr.registry.url=" + this.registry.url(), "--kafka-dr.storage.location=" + storage)) {
			String name = standard.substring(0, standard.indexOf('=') + 1);
			if (properties.stream().noneMatch(property -> property.startsWith(name))) {
				properties.add(standard);
			}
		}
		return properties;
	}

	@Override
	public void close() {
		this.registry.close();
		this.kafka.close();
	}

}
