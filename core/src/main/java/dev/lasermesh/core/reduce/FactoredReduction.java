package dev.lasermesh.core.reduce;

/**
 * A matrix truncated to rank k and stored as two factors.
 *
 * @param factors A and B in float64 (the tensor writer rounds them to the dtype)
 * @param result  errors and accounting
 */
public record FactoredReduction(LowRankFactors factors, ReductionResult result) {
}
