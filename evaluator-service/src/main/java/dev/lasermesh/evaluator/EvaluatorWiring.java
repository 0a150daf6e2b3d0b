package dev.lasermesh.evaluator;

import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.EvaluationResult;
import dev.lasermesh.contracts.task.EvaluationTask;
import dev.lasermesh.contracts.worker.TaskRunner;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicReference;

/** Builds the evaluator's handler from the configuration, with the {@code lasermesh_eval_tokens_per_second} gauge. */
public class EvaluatorWiring {

    @Produces
    @Singleton
    EvaluationHandler evaluationHandler(EvaluatorConfig config, MeterRegistry registry) {
        EvaluatorConfig.Evaluator e = config.evaluator();
        AtomicReference<Double> lastRate = new AtomicReference<>(0.0);
        Gauge.builder("lasermesh.eval.tokens.per.second", lastRate, AtomicReference::get)
                .description("Tokens per second of the latest evaluation task's forward passes").register(registry);
        return new EvaluationHandler(config.artifacts(), new PathRoots("model", config.modelRoots()),
                new PathRoots("data", config.dataRoots()), new EvaluatorLimits(
                e.threads().orElse(Runtime.getRuntime().availableProcessors()), e.cacheBytes(), e.maxEvaluators(),
                e.maxModels(), e.overlayBytes()), lastRate::set);
    }

    void closeEvaluators(@Disposes EvaluationHandler handler) {
        handler.close();
    }

    @Produces
    @Singleton
    TaskRunner<EvaluationTask, EvaluationResult> evaluationRunner(EvaluationHandler handler) {
        return new TaskRunner<>(handler);
    }
}
