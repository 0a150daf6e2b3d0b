package dev.lasermesh.evaluator;

/**
 * How much an evaluator service keeps and uses (see {@link EvaluatorConfig} for the keys and defaults).
 * Memory held beyond the models: up to {@code maxEvaluators × cacheBytes} of hidden states and
 * {@code overlayBytes} of overlay values.
 *
 * @param threads       threads scoring the windows of one task
 * @param cacheBytes    hidden-state memory of one shard evaluator (its incremental evaluation)
 * @param maxEvaluators shard evaluators kept, least recently used evicted first
 * @param maxModels     base models kept open
 * @param overlayBytes  bytes of decoded overlays kept
 */
record EvaluatorLimits(int threads, long cacheBytes, int maxEvaluators, int maxModels, long overlayBytes) {

    EvaluatorLimits {
        if (threads < 1 || maxEvaluators < 1 || maxModels < 1 || cacheBytes < 0 || overlayBytes < 0) {
            throw new IllegalArgumentException("evaluator limits: threads " + threads + ", max evaluators "
                    + maxEvaluators + " and max models " + maxModels + " must be >= 1, cache bytes " + cacheBytes
                    + " and overlay bytes " + overlayBytes + " >= 0");
        }
    }
}
