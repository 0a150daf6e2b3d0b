package dev.lasermesh.meshit;

import java.nio.file.Path;
import java.util.List;

/**
 * How many of each worker a {@link Mesh} starts and how they are sized. The checks use one analyzer with
 * small heaps on the fixtures; the mesh benchmark ({@link MeshBenchIT}) scales analyzers and reducers
 * together, gives them the heap a 7B-shaped matrix needs and adds the folder of its synthetic model to
 * the model roots.
 *
 * @param analyzers       analyzer processes
 * @param reducers        reducer processes
 * @param evaluators      evaluator processes (0: none; jobs without evaluation only)
 * @param blasThreads     OpenBLAS threads of each analyzer and reducer
 * @param workerHeap      maximum heap of each analyzer and reducer, as for {@code -Xmx}
 * @param extraModelRoots model roots besides the shared fixtures
 */
record MeshShape(int analyzers, int reducers, int evaluators, int blasThreads, String workerHeap,
                 List<Path> extraModelRoots) {

    /**
     * OpenBLAS threads of the checks' analyzer and reducers: as many as the standalone's default (one per
     * processor). OpenBLAS's results depend on its thread count in the last bits (on tiny-llama, one
     * element of layers.0.self_attn.q_proj's rank-59 reconstruction rounds to a different float32 with 1
     * thread than with 2), so only equally configured processes write byte-identical models.
     */
    static final int STANDALONE_THREADS = Runtime.getRuntime().availableProcessors();

    MeshShape {
        if (analyzers < 1 || reducers < 0 || evaluators < 0 || blasThreads < 1) {
            throw new IllegalArgumentException("a mesh needs an analyzer and at least one BLAS thread: " + analyzers
                    + " analyzers, " + reducers + " reducers, " + evaluators + " evaluators, " + blasThreads + " threads");
        }
        extraModelRoots = List.copyOf(extraModelRoots);
    }

    /** The checks' mesh: one analyzer, the given reducers and evaluators, the standalone's threads, small heaps. */
    static MeshShape checks(int reducers, int evaluators) {
        return new MeshShape(1, reducers, evaluators, STANDALONE_THREADS, "384m", List.of());
    }
}
