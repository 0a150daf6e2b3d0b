package dev.lasermesh.reducer;

import dev.lasermesh.contracts.task.ReductionResult;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.contracts.worker.TaskOutcome;
import dev.lasermesh.contracts.worker.TaskRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The reducer's Kafka side: takes reduction tasks off {@code lasermesh.reduction-tasks} on a worker
 * thread, runs them, publishes each result under its task id and returns, which acknowledges the
 * task only after the result was accepted by the broker (at least once: a task whose worker dies
 * before that is redelivered to another reducer of the group). A message that is not a task is
 * sent to {@code lasermesh.reduction-tasks.dlq} with the reason in a header and acknowledged.
 */
@ApplicationScoped
public class ReductionConsumer {

    private final TaskRunner<ReductionTask, ReductionResult> runner;
    private final MutinyEmitter<String> results;
    private final MutinyEmitter<String> deadLetters;
    private final MeterRegistry registry;

    @Inject
    ReductionConsumer(TaskRunner<ReductionTask, ReductionResult> runner,
                     @Channel("reduction-results") MutinyEmitter<String> results,
                     @Channel("reduction-tasks-dlq") MutinyEmitter<String> deadLetters, MeterRegistry registry) {
        this.runner = runner;
        this.results = results;
        this.deadLetters = deadLetters;
        this.registry = registry;
    }

    @Incoming("reduction-tasks")
    @Blocking(value = "lasermesh-reducer", ordered = false)
    public void consume(String payload) {
        TaskOutcome outcome = runner.run(payload);
        if (outcome.hasResult()) {
            results.sendMessageAndAwait(Message.of(outcome.json()).addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder().withKey(outcome.key()).build()));
        } else {
            deadLetters.sendMessageAndAwait(Message.of(payload == null ? "" : payload).addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder().addHeaders(new RecordHeader("lasermesh-reason",
                            outcome.reason().getBytes(StandardCharsets.UTF_8))).build()));
        }
        registry.counter("lasermesh.tasks", "stage", "reduction", "outcome", outcome.kind().label()).increment();
        registry.timer("lasermesh.task", "stage", "reduction", "outcome", outcome.kind().label())
                .record(Duration.ofNanos(Math.round(outcome.seconds() * 1e9)));
    }
}
