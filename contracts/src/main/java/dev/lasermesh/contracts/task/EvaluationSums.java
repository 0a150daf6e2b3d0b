package dev.lasermesh.contracts.task;

import dev.lasermesh.contracts.ContractException;
import dev.lasermesh.contracts.Require;
import java.math.BigDecimal;

/**
 * What a set of windows contributes to a perplexity (DESIGN §3.2): sums that shards computed by
 * different evaluators add up to exactly the sums of one pass. The two sums are decimals — each
 * window's double added exactly — and travel as plain JSON numbers with every digit, so no rounding
 * happens in transit or in the adding. Same fields as core's {@code eval.perplexity.PartialSums}.
 *
 * <p>Perplexity from the merged sums: {@code exp(windowMeanSum / windows)} for protocol
 * {@code laserrmt} (mean over windows of each window's mean loss), {@code exp(nllSum / tokens)} for
 * {@code sliding} and {@code chunked-bos} (token-weighted).
 *
 * @param nllSum        Σ over scored tokens of −ln p(token), in nats
 * @param tokens        tokens scored
 * @param windows       windows scored
 * @param windowMeanSum Σ over windows of the window's mean NLL, in nats
 */
public record EvaluationSums(BigDecimal nllSum, long tokens, int windows, BigDecimal windowMeanSum) {

    /** No windows. */
    public static final EvaluationSums ZERO = new EvaluationSums(BigDecimal.ZERO, 0, 0, BigDecimal.ZERO);

    public EvaluationSums {
        nonNegative(Require.present(nllSum, "nllSum"), "nllSum");
        Require.nonNegative(tokens, "tokens");
        Require.nonNegative(windows, "windows");
        nonNegative(Require.present(windowMeanSum, "windowMeanSum"), "windowMeanSum");
    }

    /** These sums and {@code other}'s: the windows of both shards. */
    public EvaluationSums plus(EvaluationSums other) {
        return new EvaluationSums(nllSum.add(other.nllSum), tokens + other.tokens, windows + other.windows,
                windowMeanSum.add(other.windowMeanSum));
    }

    /** NLLs are ≥ 0, so are their sums. */
    private static void nonNegative(BigDecimal value, String field) {
        if (value.signum() < 0) {
            throw new ContractException(field + " must be >= 0, got " + value.toPlainString(), field);
        }
    }

    /**
     * Equal sums, whatever the scale of the decimals ({@code 1.50} equals {@code 1.5}): a sum read back
     * from JSON equals the one written.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof EvaluationSums s && nllSum.compareTo(s.nllSum) == 0 && tokens == s.tokens
                && windows == s.windows && windowMeanSum.compareTo(s.windowMeanSum) == 0;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(tokens) * 31 + windows;
    }
}
