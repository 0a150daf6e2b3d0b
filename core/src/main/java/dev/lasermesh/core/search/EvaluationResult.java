package dev.lasermesh.core.search;

/**
 * An evaluator's answer to an {@link EvaluationRequest}.
 *
 * @param requestId  the id of the request it answers
 * @param perplexity the perplexity of the request's model state on its split; at least 1, since it
 *                   is the exponential of a mean of cross-entropies, which are non-negative
 *                   ({@code Infinity} allowed for a model state that overflowed)
 */
public record EvaluationResult(String requestId, double perplexity) {

    public EvaluationResult {
        if (requestId == null || requestId.isBlank()) {
            throw new SearchParameterException("evaluation result: requestId must not be blank");
        }
        if (!(perplexity >= 1.0)) {
            throw new SearchParameterException("evaluation result " + requestId
                    + ": perplexity must be a number >= 1, got " + perplexity);
        }
    }
}
