package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.Message;
import dev.lasermesh.contracts.task.AnalysisResult;
import dev.lasermesh.contracts.task.EvaluationResult;
import dev.lasermesh.contracts.task.ReductionResult;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The three result topics (consumer group {@code lasermesh-gateway}). Each record is handled on a worker
 * thread in its own transaction ({@link Orchestrator}) and acknowledged after that transaction commits,
 * so a gateway that dies in between gets the record again and the task-id dedupe absorbs it.
 *
 * <p>A record that is not a valid message of its topic can never be handled: it is logged and skipped.
 * A failure while taking a result (a lost database connection, a deadlock) is retried a few times; if it
 * persists, the result's job is failed with the reason, so that one job's trouble does not stop the
 * channel for every other job. Only if even that cannot be stored is the record left unacknowledged and
 * the channel stopped, which readiness reports.
 */
@ApplicationScoped
public class ResultConsumers {

    private static final int ATTEMPTS = 5;

    private final Orchestrator orchestrator;

    @Inject
    public ResultConsumers(Orchestrator orchestrator) {
        this.orchestrator = orchestrator;
    }

    @Incoming("analysis-results")
    @Blocking
    public void analysisResult(String json) {
        handle(json, AnalysisResult.class, orchestrator::onAnalysis);
    }

    @Incoming("reduction-results")
    @Blocking
    public void reductionResult(String json) {
        handle(json, ReductionResult.class, orchestrator::onReduction);
    }

    @Incoming("evaluation-results")
    @Blocking
    public void evaluationResult(String json) {
        handle(json, EvaluationResult.class, orchestrator::onEvaluation);
    }

    private <T extends Message> void handle(String json, Class<T> type, Consumer<T> handler) {
        T message;
        try {
            message = Json.read(json, type);
        } catch (ContractException e) {
            Log.errorf("skipping a record that is not a valid %s: %s", type.getSimpleName(), e.getMessage());
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                handler.accept(message);
                return;
            } catch (RuntimeException e) {
                if (attempt == ATTEMPTS) {
                    Log.errorf(e, "%s for job %s could not be taken", type.getSimpleName(), message.jobId());
                    orchestrator.abandon(message.jobId(), "the gateway could not take a " + type.getSimpleName()
                            + " (" + message.key() + "): " + e.getMessage());
                    return;
                }
                Log.warnf("%s not taken (attempt %d of %d), retrying: %s", type.getSimpleName(), attempt, ATTEMPTS,
                        e.getMessage());
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(100L << attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying", e);
        }
    }
}
