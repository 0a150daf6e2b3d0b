package dev.lasermesh.gateway.orchestrator;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Json;
import dev.lasermesh.contracts.task.AnalysisResult;
import dev.lasermesh.contracts.task.EvaluationResult;
import dev.lasermesh.contracts.task.ReductionResult;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The three result topics (consumer group {@code lasermesh-gateway}). Each record is handled on a worker
 * thread in its own transaction ({@link Orchestrator}) and acknowledged after that transaction commits,
 * so a gateway that dies in between gets the record again and the task-id dedupe absorbs it.
 *
 * <p>A record that is not a valid message of its topic can never be handled: it is logged and skipped.
 * A database failure (a lost connection, a deadlock, a conflicting update) is retried a few times; if
 * it persists the record is not acknowledged and the channel stops, which readiness reports.
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

    private static <T> void handle(String json, Class<T> type, Consumer<T> handler) {
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
            } catch (PersistenceException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                Log.warnf("%s not stored (attempt %d of %d), retrying: %s", type.getSimpleName(), attempt, ATTEMPTS,
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
