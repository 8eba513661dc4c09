package io.kafkadr.backup;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Which complete backups a retention policy keeps, and why; a backup goes only when no given rule keeps it. */
class RetentionPolicyTest {

	private static final Duration DAY = Duration.ofDays(1);

	@Test
	void theNewestCompleteBackupIsKeptWhateverTheRules() {
		RetentionPolicy strictest = new RetentionPolicy(1, Duration.ZERO);
		assertThat(strictest.keptBecause(0, Duration.ofDays(400))).isEqualTo("the newest complete backup, always kept");
		assertThat(strictest.keptBecause(1, Duration.ofDays(400))).isNull();
	}

	@Test
	void keepCountsTheNewestCompleteBackups() {
		RetentionPolicy keepThree = new RetentionPolicy(3, null);
		assertThat(keepThree.keptBecause(2, Duration.ofDays(90))).isEqualTo("one of the newest 3 complete backups");
		assertThat(keepThree.keptBecause(3, Duration.ZERO)).isNull();
		assertThat(keepThree.deletedBecause()).isEqualTo("not among the newest 3");
	}

	@Test
	void olderThanKeepsWhatIsYoungerAndDeletesAtTheLimit() {
		RetentionPolicy week = new RetentionPolicy(null, Duration.ofDays(7));
		assertThat(week.keptBecause(5, Duration.ofDays(7).minusSeconds(1))).isEqualTo("younger than 7d");
		assertThat(week.keptBecause(5, Duration.ofDays(7))).isNull();
		assertThat(week.deletedBecause()).isEqualTo("older than 7d");
	}

	@Test
	void withBothRulesEitherOneKeepsABackup() {
		RetentionPolicy both = new RetentionPolicy(2, Duration.ofDays(30));
		assertThat(both.keptBecause(1, Duration.ofDays(365))).isEqualTo("one of the newest 2 complete backups");
		assertThat(both.keptBecause(9, Duration.ofDays(29))).isEqualTo("younger than 30d");
		assertThat(both.keptBecause(2, Duration.ofDays(30))).isNull();
		assertThat(both.deletedBecause()).isEqualTo("not among the newest 2 and older than 30d");
		assertThat(both.describe()).isEqualTo("keep the newest 2 complete backups; of the others, delete what is older than 30d");
	}

	@Test
	void withoutRulesNothingGoes() {
		RetentionPolicy none = new RetentionPolicy(null, null);
		assertThat(none.isEmpty()).isTrue();
		assertThat(none.keptBecause(50, Duration.ofDays(3650))).isEqualTo("no retention rule given");
		assertThat(none.describe()).isEqualTo("keep everything");
	}

	@Test
	void refusesRulesThatWouldDeleteTheNewestBackupOrMakeNoSense() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RetentionPolicy(0, null))
			.withMessageContaining("keep must be at least 1");
		assertThatIllegalArgumentException().isThrownBy(() -> new RetentionPolicy(null, DAY.negated()))
			.withMessageContaining("older-than must not be negative");
	}

	@Test
	void durationsAreSpelledAsTheOptionsTakeThem() {
		assertThat(RetentionPolicy.words(Duration.ofDays(30))).isEqualTo("30d");
		assertThat(RetentionPolicy.words(Duration.ofHours(12))).isEqualTo("12h");
		assertThat(RetentionPolicy.words(Duration.ofMinutes(90))).isEqualTo("90m");
		assertThat(RetentionPolicy.words(Duration.ofSeconds(45))).isEqualTo("45s");
		assertThat(RetentionPolicy.words(Duration.ofMillis(1500))).isEqualTo("1500ms");
	}

}
