package dev.lasermesh.core.eval.perplexity;

import java.math.BigDecimal;

/**
 * What a set of windows contributes to a perplexity: sum of token NLLs, tokens scored, windows, and sum
 * of window means. The sums are exact (each window's double is added as a {@link BigDecimal}), so
 * partial results computed by different evaluators, in any grouping and order, merge to exactly the
 * value of one pass.
 */
public record PartialSums(BigDecimal nllSum, long tokens, int windows, BigDecimal windowMeanSum) {

    /** No windows. */
    public static final PartialSums EMPTY = new PartialSums(BigDecimal.ZERO, 0, 0, BigDecimal.ZERO);

    /** These sums plus one window. */
    public PartialSums plus(WindowScore w) {
        return new PartialSums(nllSum.add(new BigDecimal(w.nllSum())), tokens + w.tokens(), windows + 1,
                windowMeanSum.add(new BigDecimal(w.mean())));
    }

    /** These sums plus another part. */
    public PartialSums merge(PartialSums other) {
        return new PartialSums(nllSum.add(other.nllSum), tokens + other.tokens, windows + other.windows,
                windowMeanSum.add(other.windowMeanSum));
    }
}
