package io.kafkadr.partitioning;

import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.flow.Flow;
import org.springframework.batch.core.job.flow.support.SimpleFlow;
import org.springframework.batch.core.step.Step;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The part of the backup and restore jobs that moves records: the raw topics' partitioned step and
 * the Avro topics' side by side. Both queue their partitions on the job's one pool of partition
 * threads, so neither kind waits for the other to finish and no thread idles while partitions of
 * either kind are left. The split's own two threads only wait for the steps.
 */
public final class TopicDataFlow {

	private TopicDataFlow() {
	}

	/** The name of the step that moves the records of the Avro (CDC) topics, or of the raw (internal) ones. */
	public static String stepName(boolean avro) {
		return avro ? "cdcTopics" : "internalTopics";
	}

	public static Flow of(Step internalTopicsStep, Step cdcTopicsStep) {
		return new FlowBuilder<SimpleFlow>("topicData").split(new SimpleAsyncTaskExecutor("topic-kinds-"))
			.add(new FlowBuilder<SimpleFlow>("internalTopicsFlow").start(internalTopicsStep).build(),
					new FlowBuilder<SimpleFlow>("cdcTopicsFlow").start(cdcTopicsStep).build())
			.build();
	}

}
