package dev.lasermesh.cli;

import dev.lasermesh.core.search.EvaluationRequest;
import dev.lasermesh.core.search.Split;
import java.util.Optional;

/**
 * The base model's perplexity on the search split of a search that chooses on the first windows and
 * reports on the others ({@code laser-grid}, {@code sfsd-surgical}): the outcome carries the report
 * split's numbers, so the search split's are taken from the evaluations as they finish.
 */
final class SearchSplitBaseline {

    private Double value;

    /** Keeps the perplexity of the base model on the search split when {@code request} is that evaluation. */
    void observe(EvaluationRequest request, double perplexity) {
        if (request.split() == Split.VALIDATION && request.replacements().isEmpty()) {
            value = perplexity;
        }
    }

    /** The base model's search-split perplexity; empty for a search on all windows. */
    Optional<Double> value() {
        return Optional.ofNullable(value);
    }
}
