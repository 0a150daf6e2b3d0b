package dev.lasermesh.evaluator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * Settings of the evaluator service. How many tasks run at once is the worker pool's
 * {@code smallrye.messaging.worker.lasermesh-evaluator.max-concurrency} (default 1 in
 * application.properties); each task scores its windows on {@code lasermesh.evaluator.threads} threads.
 */
@ConfigMapping(prefix = "lasermesh")
public interface EvaluatorConfig {

    /**
     * {@code lasermesh.artifacts}: root folder of the artifact store shared by all services, from which
     * overlays are read. Required; {@code target/artifacts} in the dev and test profiles.
     */
    Path artifacts();

    /**
     * {@code lasermesh.model-roots}: the folders the models of tasks must lie in (as the gateway's); a
     * task whose model, or one of its files, resolves elsewhere fails.
     */
    List<Path> modelRoots();

    /** {@code lasermesh.data-roots}: the folders the texts of tasks must lie in (as the gateway's). */
    List<Path> dataRoots();

    /** {@code lasermesh.evaluator.*}. */
    Evaluator evaluator();

    interface Evaluator {

        /** {@code lasermesh.evaluator.threads}: threads scoring windows in parallel; default: every available processor. */
        OptionalInt threads();

        /**
         * {@code lasermesh.evaluator.cache-bytes}: hidden states one shard evaluator keeps for incremental
         * evaluation (default 256 MiB; 0 disables, every task then recomputes from the embeddings).
         */
        @WithDefault("268435456")
        long cacheBytes();

        /** {@code lasermesh.evaluator.max-evaluators}: shard evaluators kept, least recently used evicted (default 4). */
        @WithDefault("4")
        int maxEvaluators();

        /** {@code lasermesh.evaluator.max-models}: base models kept open (default 2). */
        @WithDefault("2")
        int maxModels();

        /** {@code lasermesh.evaluator.overlay-bytes}: decoded overlay values kept (default 512 MiB). */
        @WithDefault("536870912")
        long overlayBytes();
    }
}
