package io.kafkadr.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a whole schema registry, soft-deleted subjects and versions included, into a {@link RegistrySnapshot}. */
public final class RegistryExporter {

	private static final Logger logger = LoggerFactory.getLogger(RegistryExporter.class);

	private final RegistryClient client;

	public RegistryExporter(RegistryClient client) {
		this.client = client;
	}

	public RegistrySnapshot export() {
		String compatibility = this.client.globalCompatibility().orElse(null);
		String mode = this.client.globalMode().orElse(null);
		Set<String> live = Set.copyOf(this.client.subjects(false));
		// The union, because a registry that ignores ?deleted=true still lists every live subject.
		SortedSet<String> names = new TreeSet<>(live);
		names.addAll(this.client.subjects(true));
		List<RegistrySnapshot.Subject> subjects = new ArrayList<>();
		for (String name : names) {
			subjects.add(exportSubject(name, !live.contains(name), compatibility, mode));
		}
		RegistrySnapshot snapshot = new RegistrySnapshot(compatibility, mode, subjects);
		logger.info("Exported {} subjects with {} versions from the schema registry at {}", subjects.size(),
				snapshot.versionCount(), this.client.url());
		return snapshot;
	}

	private RegistrySnapshot.Subject exportSubject(String name, boolean deleted, String globalCompatibility,
			String globalMode) {
		Set<Integer> liveVersions = deleted ? Set.of() : Set.copyOf(this.client.versions(name, false));
		SortedSet<Integer> numbers = new TreeSet<>(liveVersions);
		numbers.addAll(versionsIncludingDeleted(name));
		List<RegistrySnapshot.Version> versions = new ArrayList<>();
		List<Integer> unreadable = new ArrayList<>();
		for (int number : numbers) {
			Optional<SubjectVersion> read = readVersion(name, number);
			read.ifPresentOrElse((version) -> versions.add(new RegistrySnapshot.Version(number, version.id(),
					version.schemaType(), version.schema(), version.references(),
					deleted || !liveVersions.contains(number))), () -> unreadable.add(number));
		}
		if (!unreadable.isEmpty()) {
			logger.warn("The schema registry at {} lists versions {} of {}subject {} but will not return them; "
					+ "the snapshot records them as unreadable", this.client.url(), unreadable,
					deleted ? "soft-deleted " : "", name);
		}
		// A setting equal to the global one changes nothing. Dropping it also hides what Apicurio reports
		// for a subject with no setting of its own: the global mode, and compatibility NONE (which this
		// only hides while the global level is NONE too).
		String compatibility = unlessEqual(this.client.subjectCompatibility(name), globalCompatibility);
		String mode = unlessEqual(this.client.subjectMode(name), globalMode);
		return new RegistrySnapshot.Subject(name, deleted, compatibility, mode, versions, unreadable);
	}

	private List<Integer> versionsIncludingDeleted(String subject) {
		try {
			return this.client.versions(subject, true);
		}
		catch (RegistryException ex) {
			if (ex.status() == 404) {
				return List.of();
			}
			throw ex;
		}
	}

	private Optional<SubjectVersion> readVersion(String subject, int version) {
		try {
			return Optional.of(this.client.version(subject, version));
		}
		catch (RegistryException ex) {
			if (ex.status() == 404) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	private static String unlessEqual(Optional<String> subjectSetting, String globalSetting) {
		return subjectSetting.filter((setting) -> !Objects.equals(setting, globalSetting)).orElse(null);
	}

}
