package dev.lasermesh.core.search;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which way the metric a search compares is better (DESIGN §7.1): perplexity lower, accuracy higher.
 * The strategies' rules (strict, or ties accepted) are otherwise the same.
 */
public enum MetricDirection {
    /** Perplexity: a value of at least 1, lower is better. */
    @JsonProperty("lower-is-better") LOWER_IS_BETTER,
    /** An accuracy: a fraction in [0, 1], higher is better. */
    @JsonProperty("higher-is-better") HIGHER_IS_BETTER;

    /** Whether {@code value} is strictly better than {@code reference}. */
    public boolean better(double value, double reference) {
        return this == LOWER_IS_BETTER ? value < reference : value > reference;
    }

    /** Whether {@code value} is better than or equal to {@code reference}. */
    public boolean atLeastAsGood(double value, double reference) {
        return this == LOWER_IS_BETTER ? value <= reference : value >= reference;
    }

    /**
     * Checks a result's value.
     *
     * @throws SearchParameterException naming the request when a perplexity is not a number &gt;= 1 or an
     *                                  accuracy not a number in [0, 1]
     */
    void check(String requestId, double value) {
        boolean ok = this == LOWER_IS_BETTER ? value >= 1.0 : value >= 0.0 && value <= 1.0;
        if (!ok) {
            throw new SearchParameterException("evaluation result " + requestId + (this == LOWER_IS_BETTER
                    ? ": perplexity must be a number >= 1, got " : ": accuracy must be a number in [0, 1], got ")
                    + value);
        }
    }
}
