package io.kafkadr.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.kafkadr.cli.ExitCodes;
import io.kafkadr.cli.KafkaDrCommand;
import io.kafkadr.cli.KafkaDrCommandLine;
import io.kafkadr.storage.S3Location;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import picocli.CommandLine;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests in {@code k8s/}, rendered by the real {@code kubectl kustomize} as the README renders
 * them: every pod runs a real kafka-dr command with properties kafka-dr reads, the nightly backup
 * retries safely, every pod runs locked down, the plan ConfigMaps are the files in {@code jobs/},
 * credentials appear only as placeholders in the Secret examples, the S3 variant keeps its backups in
 * a bucket, its job repository on a volume, and its credentials and keys in Secrets, and its scaled-out
 * overlays give their workers everything their managers' partitions read.
 */
@Tag("integration")
class KubernetesManifestsTest {

	private static final Path K8S = Path.of("k8s");

	private static final Path JOBS = Path.of("jobs");

	/** The pipeline's overlay with its backups in S3, encrypted. */
	private static final Path S3_OVERLAY = K8S.resolve("overlays/cdc-pipeline-s3");

	/** The S3 overlay's nightly backup scaled out over worker pods, and the restore's, in {@code restore/}. */
	private static final Path REMOTE_OVERLAY = S3_OVERLAY.resolve("remote");

	/** The volume of the S3 variant's H2 job repository, which its two nightly overlays create. */
	private static final Path S3_STATE = S3_OVERLAY.resolve("state");

	/**
	 * The environment variables in which a worker may differ from its manager: its Pushgateway group, the manager's
	 * mode, and the worker's own settings. Every other one is a setting the partitions read, which both must share.
	 */
	private static final Set<String> ROLE_VARIABLES = Set.of("MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_JOB",
			"MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_GROUPINGKEY_INSTANCE", "KAFKA_DR_PARTITIONING",
			"KAFKA_DR_WORKER_THREADS", "KAFKA_DR_WORKER_IDLE_TIMEOUT");

	/** How the environment variables that Spring maps to the properties kafka-dr reads begin. */
	private static final List<String> PROPERTY_VARIABLE_PREFIXES = List.of("SPRING_", "KAFKA_DR_", "LOGGING_", "MANAGEMENT_");

	/** Environment variables that the JVM reads, not Spring. */
	private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");

	/**
	 * Environment variables that the AWS SDK reads for an S3 storage location (credentials, region, profile, ...),
	 * as the SDK itself names them.
	 */
	private static final Set<String> AWS_SDK_VARIABLES = Stream
		.concat(Arrays.stream(SdkSystemSetting.values()).map(SdkSystemSetting::environmentVariable),
				Arrays.stream(ProfileFileSystemSetting.values()).map(ProfileFileSystemSetting::environmentVariable))
		.filter(Objects::nonNull)
		.collect(Collectors.toUnmodifiableSet());

	/** The AWS SDK's variables that hold a credential: never a literal value in a manifest. */
	private static final List<String> AWS_CREDENTIALS = List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
			"AWS_SESSION_TOKEN");

	/** A Secret volume's default file mode: 0644 unless the volume says otherwise. */
	private static final int SECRET_DEFAULT_MODE = 0644;

	/** A placeholder without a default, named like an environment variable. */
	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

	private static List<Rendering> renderings;

	@BeforeAll
	static void render() {
		Kustomize kustomize = Kustomize.onPath();
		renderings = Kustomize.kustomizations(K8S).stream().map(kustomize::render).toList();
	}

	@Test
	void theBaseAndEveryPartOfThePipelineOverlaysRender() {
		assertThat(renderings).extracting(Rendering::directory)
			.contains(K8S.resolve("base"), K8S.resolve("overlays/cdc-pipeline"),
					K8S.resolve("overlays/cdc-pipeline/restore"), K8S.resolve("overlays/cdc-pipeline/drill"), S3_OVERLAY,
					S3_OVERLAY.resolve("restore"), S3_OVERLAY.resolve("drill"), REMOTE_OVERLAY,
					REMOTE_OVERLAY.resolve("restore"));
		assertThat(pods()).extracting(PodTemplate::owner)
			.contains("CronJob kafka-dr-backup", "Job kafka-dr-restore", "Job kafka-dr-drill", "Deployment kafka-dr-workers",
					"Job kafka-dr-restore-workers");
	}

	@Test
	void theBackupAndRestoreFailAtOnceOnAMistakeAndRetryAnOutage() {
		for (Rendering rendering : renderings) {
			List<Map<String, Object>> jobSpecs = new ArrayList<>();
			rendering.ofKind("CronJob").forEach(cronJob -> jobSpecs.add(Documents.map(cronJob, "spec", "jobTemplate", "spec")));
			for (String name : List.of("kafka-dr-restore", "kafka-dr-restore-workers")) {
				rendering.find("Job", name).ifPresent(job -> jobSpecs.add(Documents.map(job, "spec")));
			}
			for (Map<String, Object> spec : jobSpecs) {
				@SuppressWarnings("unchecked")
				List<Map<String, Object>> rules = (List<Map<String, Object>>) Documents.map(spec, "podFailurePolicy")
					.get("rules");
				assertThat(rules).as("%s: podFailurePolicy", rendering)
					.anySatisfy(rule -> {
						assertThat(rule.get("action")).isEqualTo("FailJob");
						assertThat(Documents.map(rule, "onExitCodes")).containsEntry("operator", "In")
							.containsEntry("values", List.of(ExitCodes.USAGE));
					})
					.noneSatisfy(rule -> assertThat(String.valueOf(rule.get("onExitCodes")))
						.contains(String.valueOf(ExitCodes.UNREACHABLE)));
				assertThat((Integer) spec.get("backoffLimit")).as("%s: retries for an outage", rendering).isPositive();
			}
		}
	}

	@Test
	void everyContainerRunsAKafkaDrCommand() {
		Set<String> commands = new CommandLine(KafkaDrCommand.class).getSubcommands().keySet();
		SoftAssertions softly = new SoftAssertions();
		for (PodTemplate pod : pods()) {
			for (Container container : pod.containers()) {
				softly.assertThat(container.command()).as("%s: command (the image's entrypoint is kafka-dr)", pod).isEmpty();
				List<String> args = container.args();
				softly.assertThat(args).as("%s: args", pod).isNotEmpty().first().isIn(commands);
				List<String> options = args.stream().filter((arg) -> !KafkaDrCommandLine.isSpringProperty(arg)).toList();
				try {
					new CommandLine(KafkaDrCommand.class).parseArgs(options.toArray(String[]::new));
				}
				catch (CommandLine.ParameterException ex) {
					softly.fail("%s: kafka-dr refuses %s: %s", pod, options, ex.getMessage());
				}
			}
		}
		softly.assertAll();
	}

	@Test
	void everySpringArgumentAndEnvironmentVariableIsOneKafkaDrReads() {
		List<String> problems = new ArrayList<>();
		for (PodTemplate pod : pods()) {
			for (Container container : pod.containers()) {
				problems.addAll(prefixed(pod + ": argument --",
						ApplicationProperties.problems(ApplicationProperties.properties(arguments(container)), true)));
				Map<String, Object> literal = new LinkedHashMap<>();
				Map<String, Object> fromSecrets = new LinkedHashMap<>();
				Set<String> placeholders = pod.plan(container).map(KubernetesManifestsTest::placeholders).orElse(Set.of());
				for (Map<String, Object> variable : container.env()) {
					String name = (String) variable.get("name");
					if (PROPERTY_VARIABLE_PREFIXES.stream().anyMatch(name::startsWith)) {
						// a value from a Secret is unknown here: only its name is checked
						if (variable.get("value") != null) {
							literal.put(name, variable.get("value"));
						}
						else {
							fromSecrets.put(name, "from-a-secret");
						}
					}
					else if (!JVM_VARIABLES.contains(name) && !AWS_SDK_VARIABLES.contains(name) && !placeholders.contains(name)) {
						problems.add(pod + ": environment variable " + name + " is read by nothing: no Spring property"
								+ " (" + PROPERTY_VARIABLE_PREFIXES + "), no ${" + name + "} of the plan, no JVM variable,"
								+ " no AWS SDK variable");
					}
				}
				problems.addAll(prefixed(pod + ": environment variable ",
						ApplicationProperties.problems(ApplicationProperties.environment(literal), true)));
				problems.addAll(prefixed(pod + ": environment variable ",
						ApplicationProperties.problems(ApplicationProperties.environment(fromSecrets), false)));
				Set<String> variables = new HashSet<>();
				container.env().forEach((variable) -> variables.add((String) variable.get("name")));
				for (String placeholder : placeholders) {
					if (!variables.contains(placeholder)) {
						problems.add(pod + ": the plan reads ${" + placeholder + "}, which the environment does not set");
					}
				}
			}
		}
		assertThat(problems).isEmpty();
	}

	@Test
	void everyPodLogsJsonAndPushesUnderItsOwnJobName() {
		Set<String> jobNames = new HashSet<>();
		for (PodTemplate pod : pods()) {
			for (Container container : pod.containers()) {
				List<PropertySource<?>> sources = sources(pod, container);
				assertThat(ApplicationProperties.resolve("logging.structured.format.console", sources))
					.as("%s: logging.structured.format.console (JSON for the log collector)", pod)
					.isIn("ecs", "logstash", "gelf");
				String job = ApplicationProperties.resolve("management.prometheus.metrics.export.pushgateway.job", sources);
				assertThat(job).as("%s: its Pushgateway job", pod).isNotBlank();
				jobNames.add(pod.ownerName() + "=" + job);
			}
		}
		// one group per workload: a drill's last push never replaces the backup's metrics
		assertThat(jobNames.stream().map((name) -> name.substring(name.indexOf('=') + 1)).distinct().count())
			.as("%s", jobNames)
			.isEqualTo(jobNames.stream().map((name) -> name.substring(0, name.indexOf('='))).distinct().count());
	}

	@Test
	void everyPlanInJobsHoldsOnlyPropertiesKafkaDrReads() throws IOException {
		List<String> problems = new ArrayList<>();
		try (Stream<Path> plans = Files.list(JOBS)) {
			for (Path plan : plans.filter((file) -> file.toString().endsWith(".yaml")).sorted().toList()) {
				problems.addAll(prefixed(plan + ": ",
						ApplicationProperties.problems(ApplicationProperties.yaml(Files.readString(plan)), true)));
			}
		}
		assertThat(problems).isEmpty();
	}

	/**
	 * The S3 plan is the CDC pipeline's plan with its storage, job repository and encryption changed,
	 * and nothing else: an edit made to one (a topic, a registry setting) is made to both.
	 */
	@Test
	void theS3PlanDiffersFromThePipelinePlanOnlyInWhereBackupsGo() throws IOException {
		Map<String, Object> local = planProperties(JOBS.resolve("cdc-pipeline.yaml"));
		Map<String, Object> s3 = planProperties(JOBS.resolve("cdc-pipeline-s3.yaml"));
		List<String> where = List.of("kafka-dr.storage.", "kafka-dr.job-repository.", "kafka-dr.encryption.");
		local.keySet().removeIf((name) -> where.stream().anyMatch(name::startsWith));
		s3.keySet().removeIf((name) -> where.stream().anyMatch(name::startsWith));
		assertThat(s3).isEqualTo(local);
	}

	private static Map<String, Object> planProperties(Path plan) throws IOException {
		EnumerablePropertySource<?> source = ApplicationProperties.yaml(Files.readString(plan));
		Map<String, Object> properties = new TreeMap<>();
		for (String name : source.getPropertyNames()) {
			properties.put(name, String.valueOf(source.getProperty(name)));
		}
		return properties;
	}

	@Test
	void thePropertyCheckCatchesTypos() {
		assertThat(ApplicationProperties.problems(ApplicationProperties.properties(Map.of("kafka-dr.topics.avro", "a.*",
				"spring.kafka.properties.sasl.mechanism", "PLAIN", "spring.datasource.url", "jdbc:h2:mem:x")), true))
			.isEmpty();
		assertThat(ApplicationProperties.problems(ApplicationProperties.properties(Map.of("kafka-dr.topic.avro", "a.*")), true))
			.singleElement()
			.asString()
			.startsWith("kafka-dr.topic.avro is no property kafka-dr reads");
		assertThat(ApplicationProperties.problems(ApplicationProperties.environment(Map.of("KAFKA_DR_STORAGE_LOCATION", "/b",
				"KAFKA_DR_REGISTRY_BASIC_AUTH_USER_INFO", "u:p")), true)).isEmpty();
		assertThat(ApplicationProperties.problems(ApplicationProperties.environment(Map.of("KAFKA_DR_STORAGE_LOCACTION", "/b")),
				true)).hasSize(1);
		assertThat(ApplicationProperties.problems(ApplicationProperties.properties(Map.of("kafka-dr.backup.parallelism", "many")),
				true)).singleElement().asString().contains("cannot take");
		assertThat(ApplicationProperties.problems(ApplicationProperties.properties(Map.of("logging.structured.format.console",
				"ecs", "management.prometheus.metrics.export.pushgateway.enabled", "true",
				"management.prometheus.metrics.export.pushgateway.address", "pushgateway:9091")), true)).isEmpty();
		assertThat(ApplicationProperties.problems(ApplicationProperties.properties(Map.of("logging.structured.formats.console",
				"ecs", "management.prometheus.metrics.export.pushgateway.adress", "pushgateway:9091")), true)).hasSize(2);
		assertThat(ApplicationProperties.problems(ApplicationProperties.environment(Map.of("LOGGING_STRUCTURED_FORMAT_CONSOLE",
				"ecs", "MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_JOB", "kafka-dr-backup")), true)).isEmpty();
	}

	@Test
	void theBackupCronJobRetriesTheSameBackupAndNeverRunsTwiceAtOnce() {
		List<PodTemplate> backups = pods().stream().filter((pod) -> pod.owner().startsWith("CronJob ")).toList();
		assertThat(backups).isNotEmpty();
		SoftAssertions softly = new SoftAssertions();
		for (Rendering rendering : renderings) {
			for (Map<String, Object> cronJob : rendering.ofKind("CronJob")) {
				String name = rendering + " CronJob " + Rendering.name(cronJob);
				softly.assertThat((String) Documents.get(cronJob, "spec", "concurrencyPolicy")).as(name).isEqualTo("Forbid");
				softly.assertThat((Integer) Documents.get(cronJob, "spec", "startingDeadlineSeconds")).as(name).isPositive();
				softly.assertThat((Integer) Documents.get(cronJob, "spec", "jobTemplate", "spec", "backoffLimit"))
					.as("%s: backoffLimit (a retried pod resumes the same backup)", name)
					.isPositive();
				softly.assertThat((Integer) Documents.get(cronJob, "spec", "jobTemplate", "spec", "activeDeadlineSeconds"))
					.as(name)
					.isPositive();
			}
		}
		for (PodTemplate pod : backups) {
			softly.assertThat((String) pod.spec().get("restartPolicy")).as("%s: restartPolicy", pod).isEqualTo("Never");
			for (Container container : pod.containers()) {
				// a fixed id would make every night resume or refuse the same backup
				softly.assertThat(container.args()).as("%s: args", pod).startsWith("backup").noneMatch((arg) -> arg.startsWith("--backup-id"));
			}
		}
		softly.assertAll();
	}

	@Test
	void everyPodRunsAsNonRootOnAReadOnlyRootFilesystemWithinItsResources() {
		SoftAssertions softly = new SoftAssertions();
		for (PodTemplate pod : pods()) {
			softly.assertThat((Boolean) Documents.get(pod.spec(), "securityContext", "runAsNonRoot")).as("%s: runAsNonRoot", pod).isTrue();
			if (pod.isWorker()) {
				// a worker ends on SIGTERM as a killed one would: the manager hands its partitions to the others
				softly.assertThat((Integer) pod.spec().get("terminationGracePeriodSeconds"))
					.as("%s: terminationGracePeriodSeconds", pod)
					.isPositive();
			}
			else {
				softly.assertThat((Integer) pod.spec().get("terminationGracePeriodSeconds"))
					.as("%s: terminationGracePeriodSeconds (time to stop at a chunk boundary)", pod)
					.isGreaterThanOrEqualTo(60);
			}
			softly.assertThat((String) pod.spec().get("serviceAccountName")).as("%s: serviceAccountName", pod).isEqualTo("kafka-dr");
			for (Container container : pod.containers()) {
				Map<String, Object> security = Documents.map(container.spec(), "securityContext");
				softly.assertThat(security.get("readOnlyRootFilesystem")).as("%s: readOnlyRootFilesystem", pod).isEqualTo(true);
				softly.assertThat(security.get("allowPrivilegeEscalation")).as("%s: allowPrivilegeEscalation", pod).isEqualTo(false);
				Optional<PodTemplate.Mounted> tmp = pod.volumeAt(container, "/tmp");
				softly.assertThat(tmp).as("%s: a writable /tmp", pod).hasValueSatisfying((mounted) -> {
					assertThat(mounted.path()).isEmpty();
					assertThat(mounted.volume()).containsKey("emptyDir");
				});
				softly.assertThat(Documents.map(container.spec(), "resources", "requests")).as("%s: requests", pod)
					.containsKeys("cpu", "memory");
				softly.assertThat(Documents.map(container.spec(), "resources", "limits")).as("%s: limits", pod).containsKey("memory");
				softly.assertThat(container.envValue("JAVA_TOOL_OPTIONS")).as("%s: the heap follows the memory limit", pod)
					.contains("-XX:MaxRAMPercentage=");
			}
		}
		for (Rendering rendering : renderings) {
			for (Map<String, Object> account : rendering.ofKind("ServiceAccount")) {
				softly.assertThat(account.get("automountServiceAccountToken")).as("%s: %s", rendering, Rendering.name(account))
					.isEqualTo(false);
			}
		}
		softly.assertAll();
	}

	@Test
	void everyOverlayMountsItsPipelinesPlanFromJobsByteForByte() throws IOException {
		List<Rendering> overlays = overlays();
		assertThat(overlays).isNotEmpty();
		for (Rendering overlay : overlays) {
			Path plan = JOBS.resolve(overlay.pipeline().orElseThrow() + ".yaml");
			byte[] expected = Files.readAllBytes(plan);
			for (PodTemplate pod : overlay.pods()) {
				for (Container container : pod.containers()) {
					assertThat(pod.plan(container)).as("%s: the plan it reads", pod)
						.hasValueSatisfying((text) -> assertThat(text.getBytes(StandardCharsets.UTF_8)).as("%s: the plan is %s", pod, plan)
							.isEqualTo(expected));
				}
			}
		}
	}

	@Test
	void backupsAndTheJobRepositoryLandOnAPersistentVolume() {
		for (Rendering overlay : overlays()) {
			for (PodTemplate pod : overlay.pods()) {
				for (Container container : pod.containers()) {
					List<PropertySource<?>> sources = sources(pod, container);
					String location = ApplicationProperties.resolve("kafka-dr.storage.location", sources);
					String repository = ApplicationProperties.resolve("kafka-dr.job-repository.directory", sources);
					if (location != null && S3Location.isS3(location)) {
						// the default, .kafka-dr in the working directory, would die with the pod
						assertThat(repository)
							.as("%s: kafka-dr.job-repository.directory (a bucket cannot hold the job repository)", pod)
							.startsWith("/");
					}
					else {
						assertThat(location).as("%s: kafka-dr.storage.location", pod).startsWith("/");
						assertThat(pod.volumeAt(container, location)).as("%s: the volume at %s", pod, location)
							.hasValueSatisfying((mounted) -> assertThat(mounted.volume()).containsKey("persistentVolumeClaim"));
					}
					// a worker's job repository is PostgreSQL: kafka-dr refuses a worker with the H2 one
					if (repository != null && !pod.isWorker()) {
						assertThat(pod.volumeAt(container, repository)).as("%s: the volume at %s", pod, repository)
							.hasValueSatisfying((mounted) -> assertThat(mounted.volume()).containsKey("persistentVolumeClaim"));
					}
				}
			}
		}
	}

	@Test
	void theS3VariantKeepsTheBackupsInABucketAndOnlyTheJobRepositoryOnItsOwnVolume() {
		List<Rendering> variant = s3Variant();
		assertThat(variant).extracting(Rendering::directory)
			.containsExactlyInAnyOrder(S3_OVERLAY, S3_OVERLAY.resolve("restore"), S3_OVERLAY.resolve("drill"), S3_STATE,
					REMOTE_OVERLAY, REMOTE_OVERLAY.resolve("restore"));
		SoftAssertions softly = new SoftAssertions();
		for (Rendering rendering : variant) {
			softly.assertThat(rendering.find("PersistentVolumeClaim", "kafka-dr-backups")).as("%s: the backups volume", rendering)
				.isEmpty();
			if (!rendering.directory().equals(S3_STATE)) {
				softly.assertThat(rendering.pods()).as("%s: pods", rendering).isNotEmpty();
			}
			for (PodTemplate pod : rendering.pods()) {
				// a worker's job repository is PostgreSQL, and a ReadWriteOnce claim would keep every worker on one node
				softly.assertThat(pod.claims()).as("%s: the volumes it claims", pod)
					.isEqualTo(pod.isWorker() ? List.of() : List.of("kafka-dr-state"));
				for (Container container : pod.containers()) {
					List<PropertySource<?>> sources = sources(pod, container);
					softly.assertThat(ApplicationProperties.resolve("kafka-dr.storage.location", sources))
						.as("%s: kafka-dr.storage.location", pod)
						.startsWith("s3://");
					String repository = ApplicationProperties.resolve("kafka-dr.job-repository.directory", sources);
					softly.assertThat(repository).as("%s: kafka-dr.job-repository.directory", pod).isNotNull();
					if (repository != null && !pod.isWorker()) {
						softly.assertThat(pod.volumeAt(container, repository))
							.as("%s: the volume at %s", pod, repository)
							.hasValueSatisfying((mounted) -> assertThat(
									Documents.<String>get(mounted.volume(), "persistentVolumeClaim", "claimName"))
								.isEqualTo("kafka-dr-state"));
					}
				}
			}
		}
		// the nightly overlays create the state volume, through state/; the on-demand ones only use it, so deleting
		// them keeps it
		for (Rendering rendering : variant) {
			if (List.of(S3_OVERLAY, REMOTE_OVERLAY, S3_STATE).contains(rendering.directory())) {
				softly.assertThat(rendering.find("PersistentVolumeClaim", "kafka-dr-state"))
					.as("%s: the state volume", rendering)
					.hasValueSatisfying((claim) -> assertThat(Documents.<List<String>>get(claim, "spec", "accessModes"))
						.containsExactly("ReadWriteOnce"));
			}
			else {
				softly.assertThat(rendering.ofKind("PersistentVolumeClaim")).as("%s: volumes it would own", rendering).isEmpty();
			}
		}
		softly.assertAll();
	}

	/**
	 * The scaled-out overlays: beside each manager, which runs with {@code kafka-dr.partitioning=remote}, its
	 * workers run {@code kafka-dr worker} with everything its partitions read as the manager has it (the settings
	 * among the arguments, the plan, the environment, the files: storage, credentials, keys), the PostgreSQL job
	 * repository from its Secret, on no volume claim that would keep them on one node, as many as the overlay's one
	 * {@code replicas:} entry says.
	 */
	@Test
	void remoteManagersShareWhatTheirPartitionsReadWithWorkersSizedByOneSetting() {
		List<Rendering> remote = renderings.stream()
			.filter((rendering) -> rendering.directory().startsWith(REMOTE_OVERLAY))
			.toList();
		assertThat(remote).extracting(Rendering::directory)
			.containsExactlyInAnyOrder(REMOTE_OVERLAY, REMOTE_OVERLAY.resolve("restore"));
		SoftAssertions softly = new SoftAssertions();
		for (Rendering rendering : remote) {
			PodTemplate manager = single(rendering.pods().stream().filter((pod) -> !pod.isWorker()).toList(),
					rendering + ": managers");
			PodTemplate worker = single(rendering.pods().stream().filter(PodTemplate::isWorker).toList(),
					rendering + ": workers");
			Container managing = single(manager.containers(), manager + ": containers");
			Container working = single(worker.containers(), worker + ": containers");
			softly.assertThat(ApplicationProperties.resolve("kafka-dr.partitioning", sources(manager, managing)))
				.as("%s: kafka-dr.partitioning", manager)
				.isEqualTo("remote");
			softly.assertThat(settingArguments(working)).as("%s: the settings among its arguments, as %s's", worker, manager)
				.isEqualTo(settingArguments(managing));
			softly.assertThat(worker.plan(working)).as("%s: its plan, as %s's", worker, manager)
				.isPresent()
				.isEqualTo(manager.plan(managing));
			softly.assertThat(settingVariables(working))
				.as("%s: its environment but for %s, as %s's", worker, ROLE_VARIABLES, manager)
				.isEqualTo(settingVariables(managing));
			for (Container container : List.of(managing, working)) {
				for (String name : List.of("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD")) {
					softly.assertThat(Documents.map(variable(container, name), "valueFrom", "secretKeyRef"))
						.as("%s in %s: %s (the job repository both share)", container, rendering, name)
						.containsEntry("name", "kafka-dr-job-repository");
				}
			}
			// the files the manager reads, each from the same volume at the same place, but its H2 job repository's
			Map<String, List<Object>> managerFiles = mountedVolumes(manager, managing);
			String repository = ApplicationProperties.resolve("kafka-dr.job-repository.directory", sources(manager, managing));
			if (repository != null) {
				manager.mountAt(managing, repository).ifPresent((mount) -> managerFiles.remove(mount.get("mountPath")));
			}
			softly.assertThat(mountedVolumes(worker, working)).as("%s: what it mounts, as %s", worker, manager)
				.isEqualTo(managerFiles);
			softly.assertThat(worker.claims()).as("%s: the volumes it claims", worker).isEmpty();
			// each worker pushes in a group of its own, or the workers would replace each other's metrics
			softly.assertThat(Documents.<String>get(
					variable(working, "MANAGEMENT_PROMETHEUS_METRICS_EXPORT_PUSHGATEWAY_GROUPINGKEY_INSTANCE"), "valueFrom",
					"fieldRef", "fieldPath"))
				.as("%s: its Pushgateway group", worker)
				.isEqualTo("metadata.name");
			String kind = worker.owner().substring(0, worker.owner().indexOf(' '));
			Map<String, Object> owner = rendering.find(kind, worker.ownerName()).orElseThrow();
			Object count = replicasEntry(rendering.directory(), worker.ownerName());
			if (kind.equals("Deployment")) {
				softly.assertThat((Integer) Documents.get(owner, "spec", "replicas")).as("%s: replicas", worker).isEqualTo(count);
				// a worker that ended when idle would be restarted by its Deployment, again and again
				softly.assertThat(working.args()).as("%s: args", worker).doesNotContain("--until-done");
			}
			else {
				softly.assertThat(kind).as("%s: what runs it", worker).isEqualTo("Job");
				softly.assertThat((String) Documents.get(owner, "spec", "completionMode")).as("%s: completionMode", worker)
					.isEqualTo("Indexed");
				softly.assertThat((Integer) Documents.get(owner, "spec", "completions")).as("%s: completions", worker)
					.isEqualTo(count);
				softly.assertThat((Integer) Documents.get(owner, "spec", "parallelism")).as("%s: parallelism", worker)
					.isEqualTo(count);
				// the Job completes once its workers end by themselves
				softly.assertThat(working.args()).as("%s: args", worker).contains("--until-done");
			}
		}
		softly.assertAll();
	}

	private static <T> T single(List<T> items, String what) {
		assertThat(items).as(what).hasSize(1);
		return items.get(0);
	}

	/**
	 * The settings among a container's arguments: its Spring properties, and the options that stand for one
	 * ({@code --bootstrap-server}, ...: those of its command's mixins), as kafka-dr's parser reads them.
	 */
	private static List<String> settingArguments(Container container) {
		List<String> settings = new ArrayList<>(container.args().stream().filter(KafkaDrCommandLine::isSpringProperty).toList());
		String[] options = container.args().stream().filter((arg) -> !KafkaDrCommandLine.isSpringProperty(arg)).toArray(String[]::new);
		CommandLine.ParseResult command = new CommandLine(KafkaDrCommand.class).parseArgs(options);
		while (command.hasSubcommand()) {
			command = command.subcommand();
		}
		Set<String> mixinOptions = new HashSet<>();
		command.commandSpec().mixins().values().forEach((mixin) -> mixin.options()
			.forEach((option) -> mixinOptions.addAll(Arrays.asList(option.names()))));
		for (CommandLine.Model.OptionSpec option : command.matchedOptions()) {
			if (mixinOptions.contains(option.longestName())) {
				settings.add(option.longestName() + "=" + option.originalStringValues());
			}
		}
		return settings.stream().sorted().toList();
	}

	/** A container's environment variables but those of {@link #ROLE_VARIABLES}: name, then value or source. */
	private static Map<String, Object> settingVariables(Container container) {
		Map<String, Object> variables = new TreeMap<>();
		for (Map<String, Object> variable : container.env()) {
			String name = (String) variable.get("name");
			if (!ROLE_VARIABLES.contains(name)) {
				variables.put(name, (variable.get("value") != null) ? variable.get("value") : variable.get("valueFrom"));
			}
		}
		return variables;
	}

	private static Map<String, Object> variable(Container container, String name) {
		return container.env().stream().filter((variable) -> name.equals(variable.get("name"))).findFirst().orElse(Map.of());
	}

	/** Where a container mounts what: mount path, then the volume, whether read-only and the sub-path. */
	private static Map<String, List<Object>> mountedVolumes(PodTemplate pod, Container container) {
		Map<String, List<Object>> mounted = new TreeMap<>();
		for (Map<String, Object> mount : container.mounts()) {
			mounted.put((String) mount.get("mountPath"), List.of(pod.volume((String) mount.get("name")),
					mount.getOrDefault("readOnly", false), mount.getOrDefault("subPath", "")));
		}
		return mounted;
	}

	/** The count of the {@code replicas:} entry for {@code name} in the kustomization of {@code directory}. */
	private static Object replicasEntry(Path directory, String name) {
		List<Map<String, Object>> entries = Documents.list(Documents.read(directory.resolve("kustomization.yaml")).get(0),
				"replicas");
		return single(entries.stream().filter((entry) -> name.equals(entry.get("name"))).toList(),
				directory + ": replicas: entries for " + name).get("count");
	}

	@Test
	void podsWithAnS3LocationTakeStaticCredentialsOnlyFromAnOptionalSecret() {
		List<PodTemplate> s3Pods = new ArrayList<>();
		SoftAssertions softly = new SoftAssertions();
		for (PodTemplate pod : pods()) {
			for (Container container : pod.containers()) {
				for (String name : AWS_CREDENTIALS) {
					softly.assertThat(container.envValue(name)).as("%s: %s (credentials come from Secrets)", pod, name).isNull();
				}
				String location = ApplicationProperties.resolve("kafka-dr.storage.location", sources(pod, container));
				if (location == null || !S3Location.isS3(location)) {
					continue;
				}
				s3Pods.add(pod);
				for (String name : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")) {
					Map<String, Object> variable = container.env()
						.stream()
						.filter((candidate) -> name.equals(candidate.get("name")))
						.findFirst()
						.orElse(Map.of());
					// optional: without the Secret the SDK's chain goes on to a web identity (EKS IRSA) or an instance role
					softly.assertThat(Documents.map(variable, "valueFrom", "secretKeyRef"))
						.as("%s: %s", pod, name)
						.containsEntry("name", "kafka-dr-s3")
						.containsEntry("optional", true);
				}
			}
		}
		assertThat(s3Pods).extracting(PodTemplate::rendering)
			.extracting(Rendering::directory)
			.contains(S3_OVERLAY, S3_OVERLAY.resolve("restore"), S3_OVERLAY.resolve("drill"));
		softly.assertAll();
	}

	@Test
	void anEncryptionKeyFileIsASecretMountedReadOnlyForItsOwner() {
		List<PodTemplate> encrypting = new ArrayList<>();
		SoftAssertions softly = new SoftAssertions();
		for (PodTemplate pod : pods()) {
			for (Container container : pod.containers()) {
				String keyFile = ApplicationProperties.resolve("kafka-dr.encryption.key-file", sources(pod, container));
				if (keyFile == null) {
					continue;
				}
				encrypting.add(pod);
				softly.assertThat(pod.mountAt(container, keyFile)).as("%s: the mount of %s", pod, keyFile)
					.hasValueSatisfying((mount) -> assertThat(mount.get("readOnly")).isEqualTo(true));
				softly.assertThat(pod.volumeAt(container, keyFile)).as("%s: the volume of %s", pod, keyFile)
					.hasValueSatisfying((mounted) -> {
						Map<String, Object> secret = Documents.map(mounted.volume(), "secret");
						assertThat(secret.get("secretName")).isEqualTo("kafka-dr-encryption");
						List<Map<String, Object>> items = Documents.list(secret, "items");
						// with items, the file is the item mounted at its path; without, every key is a file
						Map<String, Object> item = items.stream()
							.filter((candidate) -> mounted.path().equals(candidate.get("path")))
							.findFirst()
							.orElse(null);
						assertThat(items.isEmpty() || item != null).as("the key file is an item of the Secret: %s", items)
							.isTrue();
						Object mode = (item != null && item.get("mode") != null) ? item.get("mode")
								: secret.getOrDefault("defaultMode", SECRET_DEFAULT_MODE);
						assertThat(mode).as("its mode (%s in octal)", Integer.toOctalString((Integer) mode))
							.isEqualTo(0400);
					});
			}
		}
		assertThat(encrypting).extracting(PodTemplate::rendering)
			.extracting(Rendering::directory)
			.contains(S3_OVERLAY, S3_OVERLAY.resolve("restore"), S3_OVERLAY.resolve("drill"));
		softly.assertAll();
	}

	@Test
	void credentialsAppearOnlyAsPlaceholdersInSecretExamplesThatCoverEverySecretThePodsRead() throws IOException {
		for (Rendering rendering : renderings) {
			assertThat(rendering.ofKind("Secret")).as("%s: Secrets (credentials never come from the manifests)", rendering)
				.isEmpty();
		}
		try (Stream<Path> pipelines = Files.list(K8S.resolve("overlays"))) {
			for (Path pipeline : pipelines.toList()) {
				Path example = pipeline.resolve("secret.example.yaml");
				Set<String> defined = new TreeSet<>();
				for (Map<String, Object> secret : Documents.read(example)) {
					assertThat(secret.get("kind")).as(example.toString()).isEqualTo("Secret");
					Documents.map(secret, "stringData").forEach((key, value) -> {
						assertThat(String.valueOf(value)).as("%s: %s", example, key).contains("CHANGE-ME");
						defined.add(Rendering.name(secret) + "/" + key);
					});
					Documents.map(secret, "data").forEach((key, value) -> {
						assertThat(new String(Base64.getDecoder().decode((String) value), StandardCharsets.UTF_8))
							.as("%s: %s", example, key).contains("CHANGE-ME");
						defined.add(Rendering.name(secret) + "/" + key);
					});
				}
				assertThat(defined).as("%s: the Secrets and keys the pods read", example)
					.isEqualTo(secretKeysReadBy(pipeline.getFileName().toString()));
			}
		}
	}

	private static Set<String> secretKeysReadBy(String pipeline) {
		Set<String> keys = new TreeSet<>();
		for (Rendering overlay : overlays()) {
			if (overlay.pipeline().orElseThrow().equals(pipeline)) {
				for (PodTemplate pod : overlay.pods()) {
					for (Container container : pod.containers()) {
						for (Map<String, Object> variable : container.env()) {
							Map<String, Object> secret = Documents.map(variable, "valueFrom", "secretKeyRef");
							if (!secret.isEmpty()) {
								keys.add(secret.get("name") + "/" + secret.get("key"));
							}
						}
						for (Map<String, Object> mount : container.mounts()) {
							Map<String, Object> secret = Documents.map(pod.volume((String) mount.get("name")), "secret");
							for (Map<String, Object> item : Documents.<Map<String, Object>>list(secret, "items")) {
								keys.add(secret.get("secretName") + "/" + item.get("key"));
							}
						}
					}
				}
			}
		}
		return keys;
	}

	/** What a container's kafka-dr sees, highest precedence first: arguments, environment, plan. */
	private static List<PropertySource<?>> sources(PodTemplate pod, Container container) {
		Map<String, Object> literal = new LinkedHashMap<>();
		container.env().stream()
			.filter((variable) -> variable.get("value") != null)
			.forEach((variable) -> literal.put((String) variable.get("name"), variable.get("value")));
		List<PropertySource<?>> sources = new ArrayList<>(List.of(ApplicationProperties.properties(arguments(container)),
				ApplicationProperties.environment(literal)));
		pod.plan(container).ifPresent((plan) -> sources.add(ApplicationProperties.yaml(plan)));
		return sources;
	}

	/** The container's {@code --name=value} Spring properties. */
	private static Map<String, Object> arguments(Container container) {
		Map<String, Object> arguments = new LinkedHashMap<>();
		for (String arg : container.args()) {
			if (KafkaDrCommandLine.isSpringProperty(arg)) {
				String[] property = arg.substring(2).split("=", 2);
				arguments.put(property[0], (property.length > 1) ? property[1] : "");
			}
		}
		return arguments;
	}

	private static Set<String> placeholders(String plan) {
		Set<String> names = new TreeSet<>();
		EnumerablePropertySource<?> properties = ApplicationProperties.yaml(plan);
		for (String name : properties.getPropertyNames()) {
			Matcher matcher = PLACEHOLDER.matcher(String.valueOf(properties.getProperty(name)));
			while (matcher.find()) {
				names.add(matcher.group(1));
			}
		}
		return names;
	}

	private static List<String> prefixed(String prefix, List<String> problems) {
		return problems.stream().map((problem) -> prefix + problem).toList();
	}

	private static List<PodTemplate> pods() {
		return renderings.stream().flatMap((rendering) -> rendering.pods().stream()).toList();
	}

	private static List<Rendering> overlays() {
		return renderings.stream().filter((rendering) -> rendering.pipeline().isPresent()).toList();
	}

	private static List<Rendering> s3Variant() {
		return renderings.stream().filter((rendering) -> rendering.directory().startsWith(S3_OVERLAY)).toList();
	}

}
