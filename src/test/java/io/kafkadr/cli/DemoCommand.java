package io.kafkadr.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.kafkadr.registry.RegistryClient;
import io.kafkadr.registry.RegistryProperties;
import io.kafkadr.sandbox.CdcPipelineSeeder;
import io.kafkadr.sandbox.KafkaSandbox;
import io.kafkadr.sandbox.RegistrySandbox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code demo}: a whole disaster-recovery drill on an embedded sandbox. It starts a real KRaft
 * broker and a real Apicurio registry, seeds a Debezium CDC pipeline, backs it up and verifies the
 * backup, destroys the cluster and the registry, starts fresh ones, restores, validates, and shows
 * the job history. It runs the same commands a user would, and prints them. It lives with the tests,
 * as the sandbox does, so that the production jar carries no broker; {@link KafkaDrWithDemo} runs it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
		description = { "Run a disaster-recovery drill on an embedded sandbox (a real Kafka broker and a real",
				"Apicurio registry, nothing installed): seed a CDC pipeline, back it up, destroy it, restore, validate." })
class DemoCommand implements Callable<Integer> {

	private static final String BACKUP_ID = "demo";

	/** Which topics the demo backs up, and how: jobs/demo.yaml, which the build copies beside the test classes. */
	private static final String PLAN = "--spring.config.additional-location=classpath:jobs/demo.yaml";

	@Option(names = "--changes", defaultValue = "2000", paramLabel = "N",
			description = "Change events per table (default ${DEFAULT-VALUE}).")
	int changes;

	@Option(names = "--keep", description = "Keep the backup and the job repository (in a temporary directory).")
	boolean keep;

	@Spec
	CommandSpec spec;

	private long started;

	private PrintWriter out;

	@Override
	public Integer call() throws Exception {
		this.out = this.spec.commandLine().getOut();
		this.started = System.nanoTime();
		Path storage = Files.createTempDirectory("kafka-dr-demo-");
		try {
			return drill(storage);
		}
		finally {
			if (this.keep) {
				phase("The backup and the job repository are kept in " + storage);
			}
			else {
				delete(storage);
			}
		}
	}

	private int drill(Path storage) {
		int exit;
		phase("Starting the source platform: a KRaft broker and an Apicurio registry (sandbox)");
		try (Platform source = Platform.start()) {
			phase("Seeding a Debezium CDC pipeline (" + this.changes + " changes per table)");
			CdcPipelineSeeder.Summary seeded = new CdcPipelineSeeder(source.kafka().bootstrapServers(), source.registryClient())
				.seed(this.changes);
			seeded.recordsPerTopic().forEach((topic, records) -> line(String.format("    %-32s %,8d records", topic, records)));
			line("    schemas: " + seeded.subjects().size() + " subjects; consumer group " + seeded.consumerGroup());

			exit = run("Backing up", source.properties(storage, List.of(PLAN)), "backup", "--backup-id", BACKUP_ID);
			if (exit != ExitCodes.OK) {
				return exit;
			}
			exit = run("Verifying the backup offline (no cluster needed)", source.properties(storage, List.of()), "verify",
					"--backup-id", BACKUP_ID);
			if (exit != ExitCodes.OK) {
				return exit;
			}
			phase("Disaster: the cluster and the registry are destroyed, with all their data");
		}
		phase("Starting a fresh, empty platform: a new broker and a new registry");
		try (Platform target = Platform.start()) {
			exit = run("Restoring into it", target.properties(storage, List.of()), "restore", "--backup-id", BACKUP_ID);
			run("Job history", target.properties(storage, List.of()), "history");
		}
		phase((exit == ExitCodes.OK) ? "Drill complete: everything the backup held is back, validated"
				: "Drill failed: the restore did not validate (exit " + exit + ")");
		return exit;
	}

	private int run(String what, List<String> properties, String... command) {
		List<String> args = new ArrayList<>(List.of(command));
		args.addAll(properties);
		phase(what + ":  kafka-dr " + String.join(" ", command));
		return KafkaDrCommandLine.run(this.out, this.spec.commandLine().getErr(), args.toArray(String[]::new));
	}

	private void phase(String text) {
		line(String.format("%n[%5.1fs] %s", (System.nanoTime() - this.started) / 1e9, text));
	}

	private void line(String text) {
		this.out.println(text);
		this.out.flush();
	}

	private static void delete(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A sandbox broker and registry, started side by side. */
	private record Platform(KafkaSandbox kafka, RegistrySandbox registry) implements AutoCloseable {

		static Platform start() {
			CompletableFuture<RegistrySandbox> registry = CompletableFuture.supplyAsync(RegistrySandbox::start);
			KafkaSandbox kafka = KafkaSandbox.start();
			return new Platform(kafka, registry.join());
		}

		RegistryClient registryClient() {
			return new RegistryClient(RegistryProperties.forUrl(this.registry.url()));
		}

		List<String> properties(Path storage, List<String> more) {
			List<String> properties = new ArrayList<>(List.of("--spring.kafka.bootstrap-servers=" + this.kafka.bootstrapServers(),
					"--kafka-dr.registry.url=" + this.registry.url(), "--kafka-dr.storage.location=" + storage));
			properties.addAll(more);
			return properties;
		}

		@Override
		public void close() {
			this.registry.close();
			this.kafka.close();
		}

	}

}
