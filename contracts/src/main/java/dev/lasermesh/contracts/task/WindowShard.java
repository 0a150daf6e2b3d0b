package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ContractException;

/**
 * A range of the windows the perplexity protocol makes of the evaluation texts (DESIGN §3.2), numbered
 * 0..W−1 in text order. Evaluators score shards independently; their {@link EvaluationSums} add up to
 * the sums of one pass. A search's validation split is the shard [0, ⌊f·W⌋), its report split
 * [⌊f·W⌋, W) (core's {@code EvaluationRequest.firstWindow/endWindow}).
 *
 * @param first the first window scored (inclusive), ≥ 0
 * @param end   the window after the last one scored (exclusive), ≥ first; null for "through the last
 *              window", which lets the gateway send a whole-text task before it knows W
 */
public record WindowShard(int first, Integer end) {

    /** Every window. */
    public static final WindowShard ALL = new WindowShard(0, null);

    public WindowShard {
        if (first < 0) {
            throw new ContractException("first must be >= 0, got " + first, "first");
        }
        if (end != null && end < first) {
            throw new ContractException("end " + end + " is before first " + first, "end");
        }
    }

    /** The number of windows of this shard when the texts make {@code totalWindows} windows. */
    public int size(int totalWindows) {
        int stop = end == null ? totalWindows : Math.min(end, totalWindows);
        return Math.max(0, stop - first);
    }
}
