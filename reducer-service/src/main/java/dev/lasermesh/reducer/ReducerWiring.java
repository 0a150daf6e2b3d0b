package dev.lasermesh.reducer;

import dev.lasermesh.contracts.job.PathRoots;
import dev.lasermesh.contracts.task.ReductionResult;
import dev.lasermesh.contracts.task.ReductionTask;
import dev.lasermesh.contracts.worker.TaskRunner;
import dev.lasermesh.contracts.worker.TimedLinearAlgebra;
import dev.lasermesh.core.linalg.LinearAlgebras;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Builds the reducer's task runner: the configured backend, timed for {@code lasermesh_svd_seconds}, the
 * artifact store and the model roots (the start fails when a root is not a folder).
 */
public class ReducerWiring {

    @Produces
    @Singleton
    TaskRunner<ReductionTask, ReductionResult> reductionRunner(ReducerConfig config, MeterRegistry registry) {
        Timer svd = Timer.builder("lasermesh.svd").description("Seconds spent in singular value decompositions")
                .tag("stage", "reduction").register(registry);
        int threads = config.reducer().threads().orElse(Runtime.getRuntime().availableProcessors());
        return new TaskRunner<>(new ReductionHandler(new TimedLinearAlgebra(LinearAlgebras.create(threads),
                seconds -> svd.record(Duration.ofNanos(Math.round(seconds * 1e9)))), config.artifacts(),
                new PathRoots("model", config.modelRoots())));
    }
}
