package dev.lasermesh.core.search;

/**
 * An evaluator's answer to an {@link EvaluationRequest}.
 *
 * @param requestId  the id of the request it answers
 * @param perplexity the value of the search's metric for the request's model state on its split: a
 *                   perplexity (at least 1, the exponential of a mean of non-negative cross-entropies;
 *                   {@code Infinity} allowed for a model state that overflowed) or, for a search whose
 *                   {@link MetricDirection} is higher-is-better, an accuracy in [0, 1]; the machine
 *                   checks the range, which depends on the metric
 */
public record EvaluationResult(String requestId, double perplexity) {

    public EvaluationResult {
        if (requestId == null || requestId.isBlank()) {
            throw new SearchParameterException("evaluation result: requestId must not be blank");
        }
        if (Double.isNaN(perplexity)) {
            throw new SearchParameterException("evaluation result " + requestId + ": perplexity must be a number, got NaN");
        }
    }
}
