package dev.lasermesh.evaluator;

import dev.lasermesh.contracts.task.EvaluationResult;
import dev.lasermesh.contracts.task.EvaluationTask;
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
 * The evaluator's Kafka side: takes evaluation tasks off {@code lasermesh.evaluation-tasks} on a worker
 * thread, runs them, publishes each result under its task id and returns, which acknowledges the
 * task only after the result was accepted by the broker (at least once: a task whose worker dies
 * before that is redelivered to another evaluator of the group). A message that is not a task is
 * sent to {@code lasermesh.evaluation-tasks.dlq} with the reason in a header and acknowledged.
 */
@ApplicationScoped
public class EvaluationConsumer {

    private final TaskRunner<EvaluationTask, EvaluationResult> runner;
    private final MutinyEmitter<String> results;
    private final MutinyEmitter<String> deadLetters;
    private final MeterRegistry registry;

    @Inject
    EvaluationConsumer(TaskRunner<EvaluationTask, EvaluationResult> runner,
                     @Channel("evaluation-results") MutinyEmitter<String> results,
                     @Channel("evaluation-tasks-dlq") MutinyEmitter<String> deadLetters, MeterRegistry registry) {
        this.runner = runner;
        this.results = results;
        this.deadLetters = deadLetters;
        this.registry = registry;
    }

    @Incoming("evaluation-tasks")
    @Blocking(value = "lasermesh-evaluator", ordered = false)
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
        registry.counter("lasermesh.tasks", "stage", "evaluation", "outcome", outcome.kind().label()).increment();
        registry.timer("lasermesh.task", "stage", "evaluation", "outcome", outcome.kind().label())
                .record(Duration.ofNanos(Math.round(outcome.seconds() * 1e9)));
    }
}
