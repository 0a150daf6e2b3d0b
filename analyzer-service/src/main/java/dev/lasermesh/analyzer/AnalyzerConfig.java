package dev.lasermesh.analyzer;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Settings of the analyzer service. How many tasks run at once is the worker pool's
 * {@code smallrye.messaging.worker.lasermesh-analyzer.max-concurrency} (default 1 in
 * application.properties).
 */
@ConfigMapping(prefix = "lasermesh")
public interface AnalyzerConfig {

    /**
     * {@code lasermesh.model-roots}: the folders the models of tasks must lie in (as the gateway's); a
     * task whose model, or one of its files, resolves elsewhere fails.
     */
    List<Path> modelRoots();

    /**
     * {@code lasermesh.artifacts}: root folder of the artifact store shared by all services, where the
     * calibration statistics of a calibrated method lie (task paths are relative to it). Without it, the
     * analyzer takes only tasks by W's own SVD; a calibrated task fails naming the missing setting.
     */
    Optional<Path> artifacts();

    /** {@code lasermesh.analyzer.*}. */
    Analyzer analyzer();

    interface Analyzer {

        /**
         * {@code lasermesh.analyzer.threads}: threads the linear algebra backend uses for one matrix;
         * default: every available processor.
         */
        OptionalInt threads();
    }
}
