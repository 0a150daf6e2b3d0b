package dev.lasermesh.core.eval.perplexity;

/**
 * Sums of one evaluated state, and where its forward passes started: 0 = from the embeddings,
 * l = from cached inputs of layer l, L + 1 = the cached reference itself (nothing recomputed).
 */
public record StateScore(PartialSums sums, int resumedFromStage) {
}
