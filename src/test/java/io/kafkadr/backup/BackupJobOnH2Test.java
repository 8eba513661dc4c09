package io.kafkadr.backup;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The backup job on the default job repository: an H2 file in the storage location. */
class BackupJobOnH2Test extends BackupJobRestartContract {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		sandboxProperties(registry);
	}

	@Autowired
	DataSource dataSource;

	@Test
	void keepsItsJobRepositoryInTheStorageLocation() throws Exception {
		try (var connection = this.dataSource.getConnection()) {
			assertThat(connection.getMetaData().getURL()).startsWith("jdbc:h2:file:" + storage.toAbsolutePath())
				.contains(".kafka-dr/job-repository");
		}
	}

}
