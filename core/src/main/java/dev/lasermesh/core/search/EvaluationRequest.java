package dev.lasermesh.core.search;

import java.util.List;

/**
 * "Evaluate this model state": the base model with {@code replacements} applied, scored on the
 * windows of {@code split}.
 *
 * <p>The id is a content address of (split, validation fraction, set of replacements) — see
 * {@link RequestIds} — so it is stable across restarts, across the number of evaluators and across
 * repeated issues of the same state; a driver can use it as the Kafka {@code taskId} (prefixed by
 * the job id, since two jobs may evaluate the same state of different models).
 *
 * @param id                 stable id, the key results come back under
 * @param split              which windows to score
 * @param validationFraction f of {@link Split}; 0 for {@link Split#FULL}
 * @param replacements       the model state; for greedy searches the accepted matrices in acceptance
 *                           order, then the candidate under test
 */
public record EvaluationRequest(String id, Split split, double validationFraction, List<Replacement> replacements) {

    public EvaluationRequest {
        replacements = List.copyOf(replacements);
    }

    /** A request for a state, with its id derived from the state. */
    static EvaluationRequest of(Split split, double validationFraction, List<Replacement> replacements) {
        return new EvaluationRequest(RequestIds.of(split, validationFraction, replacements), split,
                validationFraction, replacements);
    }

    /** The first window (inclusive) this request scores, out of {@code totalWindows}. */
    public int firstWindow(int totalWindows) {
        return split == Split.REPORT ? validationWindows(totalWindows) : 0;
    }

    /** The end window (exclusive) this request scores, out of {@code totalWindows}. */
    public int endWindow(int totalWindows) {
        return split == Split.VALIDATION ? validationWindows(totalWindows) : totalWindows;
    }

    /** ⌊f·W⌋ truncated like Python's {@code int(f * n)} in LASER's {@code validate}. */
    private int validationWindows(int totalWindows) {
        if (totalWindows < 0) {
            throw new IllegalArgumentException("request " + id + ": totalWindows must be >= 0, got " + totalWindows);
        }
        return (int) (validationFraction * totalWindows);
    }
}
