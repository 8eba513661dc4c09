package io.kafkadr.metrics;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.micrometer.metrics.export.prometheus.PrometheusPushGatewayManager.ShutdownOperation;

/**
 * Pushes the metrics to a Pushgateway every {@code pushRate} (POST) and, as the command's application
 * context closes (right before the process exits), as Boot's {@code shutdown-operation} says: once
 * more, replacing the group ({@code put}, kafka-dr's default) or not ({@code post}), or deleting the
 * group ({@code delete}). A Pushgateway that cannot be reached costs a warning, never the backup or
 * restore.
 */
public final class PushgatewayExport implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(PushgatewayExport.class);

	private final Pushgateway pushgateway;

	private final Supplier<String> metrics;

	private final ShutdownOperation shutdownOperation;

	private final ScheduledExecutorService pusher = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("pushgateway").daemon().factory());

	PushgatewayExport(Pushgateway pushgateway, Supplier<String> metrics, Duration pushRate,
			ShutdownOperation shutdownOperation) {
		this.pushgateway = pushgateway;
		this.metrics = metrics;
		this.shutdownOperation = shutdownOperation;
		long millis = Math.max(1, pushRate.toMillis());
		this.pusher.scheduleAtFixedRate(() -> push(false), millis, millis, TimeUnit.MILLISECONDS);
	}

	private void push(boolean replace) {
		try {
			this.pushgateway.push(this.metrics.get(), replace);
		}
		catch (IOException ex) {
			log.warn("Could not push the metrics to {}: {}", this.pushgateway, ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void destroy() throws InterruptedException {
		this.pusher.shutdownNow();
		this.pusher.awaitTermination(10, TimeUnit.SECONDS);
		switch (this.shutdownOperation) {
			case PUT -> push(true);
			case POST -> push(false);
			case DELETE -> {
				try {
					this.pushgateway.delete();
				}
				catch (IOException ex) {
					log.warn("Could not delete the metrics at {}: {}", this.pushgateway, ex.getMessage());
				}
			}
			case NONE -> {
			}
		}
	}

}
