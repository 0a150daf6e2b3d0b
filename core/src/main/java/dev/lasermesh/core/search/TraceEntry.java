package dev.lasermesh.core.search;

/**
 * One candidate as the search decided it, in decision order.
 *
 * @param order        1-based position in the search's candidate order
 * @param requestId    the evaluation whose perplexity decided it
 * @param matrix       tensor name
 * @param layer        decoder layer
 * @param module       module type
 * @param rank         rank of the replacement
 * @param snr          the candidate's SNR ({@code NaN} when not given)
 * @param rho          the LASER fraction ρ of a {@code laser-grid} point, {@code null} otherwise
 * @param split        the windows {@code perplexity} and {@code comparedWith} were measured on
 * @param perplexity   perplexity of the model state tested for this candidate
 * @param comparedWith the value it was compared with: the best so far ({@code laserrmt-greedy}), the
 *                     current one ({@code snr-greedy}), the base model's validation perplexity
 *                     ({@code laser-grid}), the base model's ({@code one-shot}) or the bound
 *                     base·tolerance^(N − i) ({@code sfsd-surgical})
 * @param accepted     whether the candidate is part of the search's result
 */
public record TraceEntry(int order, String requestId, String matrix, int layer, String module, int rank,
                         double snr, Double rho, Split split, double perplexity, double comparedWith,
                         boolean accepted) {

    static TraceEntry of(int order, EvaluationRequest request, Candidate candidate, Double rho, double perplexity,
                         double comparedWith, boolean accepted) {
        return new TraceEntry(order, request.id(), candidate.matrix(), candidate.layer(), candidate.module(),
                candidate.rank(), candidate.snr(), rho, request.split(), perplexity, comparedWith, accepted);
    }
}
