package dev.lasermesh.core.calibrate;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.LinearAlgebra;
import dev.lasermesh.core.linalg.Svd;
import dev.lasermesh.core.reduce.LowRankFactors;
import dev.lasermesh.core.reduce.RankTruncation;

/** LASER's truncation of W's own SVD as a {@link MethodDecomposition}, for comparisons with the others. */
public final class PlainSvdDecomposition implements MethodDecomposition {

    private final Svd svd;

    private PlainSvdDecomposition(Svd svd) {
        this.svd = svd;
    }

    public static PlainSvdDecomposition of(DenseMatrix w, LinearAlgebra linearAlgebra) {
        return new PlainSvdDecomposition(linearAlgebra.topK(w, w.minDim()));
    }

    @Override
    public ReductionMethod method() {
        return ReductionMethod.SVD;
    }

    @Override
    public double[] spectrum() {
        return svd.s().clone();
    }

    @Override
    public LowRankFactors factors(int k) {
        return RankTruncation.factor(svd, k);
    }
}
