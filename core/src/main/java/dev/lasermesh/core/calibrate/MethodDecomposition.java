package dev.lasermesh.core.calibrate;

import dev.lasermesh.core.reduce.LowRankFactors;

/**
 * A matrix decomposed by one {@link ReductionMethod}: the spectrum its rank policy sees (descending)
 * and the rank-k factors A·B = W_k for any k up to the spectrum's length.
 */
public interface MethodDecomposition {

    ReductionMethod method();

    /** The method's own spectrum, descending, one value per possible rank. */
    double[] spectrum();

    /** The factors of W_k: A out×k, B k×in. */
    LowRankFactors factors(int k);

    /** The damping λ added to XᵀX before Cholesky (whitened), 0 otherwise. */
    default double lambda() {
        return 0;
    }
}
