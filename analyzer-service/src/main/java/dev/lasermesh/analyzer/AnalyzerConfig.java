package dev.lasermesh.analyzer;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.List;
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
