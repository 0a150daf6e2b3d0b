package dev.lasermesh.analyzer;

import io.smallrye.config.ConfigMapping;
import java.util.OptionalInt;

/**
 * Settings of the analyzer service. How many tasks run at once is the worker pool's
 * {@code smallrye.messaging.worker.lasermesh-analyzer.max-concurrency} (default 1 in
 * application.properties).
 */
@ConfigMapping(prefix = "lasermesh.analyzer")
public interface AnalyzerConfig {

    /**
     * {@code lasermesh.analyzer.threads}: threads the linear algebra backend uses for one matrix;
     * default: every available processor.
     */
    OptionalInt threads();
}
