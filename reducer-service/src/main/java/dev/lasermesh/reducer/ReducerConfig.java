package dev.lasermesh.reducer;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * Settings of the reducer service. How many tasks run at once is the worker pool's
 * {@code smallrye.messaging.worker.lasermesh-reducer.max-concurrency} (default 1 in
 * application.properties).
 */
@ConfigMapping(prefix = "lasermesh")
public interface ReducerConfig {

    /**
     * {@code lasermesh.artifacts}: root folder of the artifact store shared by all services, where
     * reduced tensors are written (task output paths are relative to it). Required; {@code target/artifacts}
     * in the dev and test profiles.
     */
    Path artifacts();

    /**
     * {@code lasermesh.model-roots}: the folders the models of tasks must lie in (as the gateway's); a
     * task whose model, or one of its files, resolves elsewhere fails.
     */
    List<Path> modelRoots();

    /** {@code lasermesh.reducer.*}. */
    Reducer reducer();

    interface Reducer {

        /**
         * {@code lasermesh.reducer.threads}: threads the linear algebra backend uses for one matrix;
         * default: every available processor.
         */
        OptionalInt threads();
    }
}
