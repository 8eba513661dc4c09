package io.kafkadr.sandbox;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class SandboxSmokeTest {

	@Test
	void startsBrokerAndRegistry() throws Exception {
		long t0 = System.nanoTime();
		try (KafkaSandbox kafka = KafkaSandbox.start(); RegistrySandbox registry = RegistrySandbox.start()) {
			System.out.println("started in " + (System.nanoTime() - t0) / 1_000_000 + " ms " + kafka.bootstrapServers() + " " + registry.url());
			try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
				admin.createTopics(List.of(new NewTopic("t", 3, (short) 1))).all().get();
				assertThat(admin.listTopics().names().get()).contains("t");
			}
			kafka.stopBroker();
			kafka.startBroker();
			try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
				assertThat(admin.listTopics().names().get()).contains("t");
			}
		}
	}

}
