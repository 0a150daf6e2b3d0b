package dev.lasermesh.analyzer;

import dev.lasermesh.contracts.task.AnalysisResult;
import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.AnalysisTask;
import dev.lasermesh.contracts.worker.TaskRunner;
import dev.lasermesh.contracts.worker.TimedLinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Builds the analyzer's task runner: the configured linear algebra backend, timed for
 * {@code lasermesh_svd_seconds}, and the model roots (the start fails when a root is not a folder).
 */
public class AnalyzerWiring {

    @Produces
    @Singleton
    TaskRunner<AnalysisTask, AnalysisResult> analysisRunner(AnalyzerConfig config, MeterRegistry registry) {
        Timer svd = Timer.builder("lasermesh.svd").description("Seconds spent in singular value decompositions")
                .tag("stage", "analysis").register(registry);
        int threads = config.analyzer().threads().orElse(Runtime.getRuntime().availableProcessors());
        return new TaskRunner<>(new AnalysisHandler(new TimedLinearAlgebra(LinearAlgebras.create(threads),
                seconds -> svd.record(Duration.ofNanos(Math.round(seconds * 1e9)))), config.artifacts(),
                new PathRoots("model", config.modelRoots())));
    }
}
