package dev.lasermesh.core.reduce;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.Svd;
import dev.lasermesh.core.spectrum.SingularSpectrum;
import dev.lasermesh.core.spectrum.SpectralStatistics;
import dev.lasermesh.core.tensor.DType;

/**
 * Truncates one matrix to a chosen rank and accounts for it: the errors measured on the elements
 * (in float64 and as written in the tensor's dtype), the Eckart–Young error predicted by the
 * spectrum, the energy kept and the storage. The error checks catch a wrong or inaccurate SVD: for an
 * exact SVD, {@code error} equals {@code eckartYoungError} up to rounding.
 */
public final class RankReducer {

    private RankReducer() {
    }

    /**
     * W_k in the original shape.
     *
     * @param w              the original matrix
     * @param svd            its leading singular triplets, at least k of them
     * @param singularValues all min(rows, cols) singular values, descending, for the Eckart–Young error
     * @param k              the rank to keep, 0 ≤ k ≤ svd.rank()
     * @param dtype          the dtype the result will be written in
     */
    public static DenseReduction dense(DenseMatrix w, Svd svd, double[] singularValues, int k, DType dtype) {
        SingularSpectrum spectrum = checked(w, svd, singularValues);
        DenseMatrix reconstruction = RankTruncation.reconstruct(svd, k);
        double error = FrobeniusDistance.between(w, reconstruction);
        double roundedError = FrobeniusDistance.between(w, reconstruction, DTypeRounding.rounding(dtype));
        return new DenseReduction(reconstruction,
                result(w, spectrum, k, dtype, StorageForm.DENSE, error, roundedError));
    }

    /** A = U_k·diag(√S_k), B = diag(√S_k)·V_kᵀ; parameters as for {@link #dense}. */
    public static FactoredReduction factored(DenseMatrix w, Svd svd, double[] singularValues, int k, DType dtype) {
        checked(w, svd, singularValues);
        return factored(w, RankTruncation.factor(svd, k), singularValues, k, dtype);
    }

    /**
     * W_k = A·B in the original shape, from the factors of a calibrated method; {@code spectrum} is the
     * method's own (its Eckart–Young error and energy are measured in that method's space).
     */
    public static DenseReduction dense(DenseMatrix w, LowRankFactors factors, double[] spectrum, int k, DType dtype) {
        DenseMatrix reconstruction = factors.product();
        double error = FrobeniusDistance.between(w, reconstruction);
        double roundedError = FrobeniusDistance.between(w, reconstruction, DTypeRounding.rounding(dtype));
        return new DenseReduction(reconstruction, result(w, new SingularSpectrum(spectrum, w.rows(), w.cols()), k,
                dtype, StorageForm.DENSE, error, roundedError));
    }

    /** The factors of a calibrated method as written; parameters as for the dense form. */
    public static FactoredReduction factored(DenseMatrix w, LowRankFactors factors, double[] spectrum, int k,
                                             DType dtype) {
        SingularSpectrum singular = new SingularSpectrum(spectrum, w.rows(), w.cols());
        double error = FrobeniusDistance.between(w, factors.product());
        LowRankFactors written = new LowRankFactors(DTypeRounding.round(factors.a(), dtype),
                DTypeRounding.round(factors.b(), dtype));
        double roundedError = FrobeniusDistance.between(w, written.product());
        return new FactoredReduction(factors,
                result(w, singular, k, dtype, StorageForm.FACTORED, error, roundedError));
    }

    private static SingularSpectrum checked(DenseMatrix w, Svd svd, double[] singularValues) {
        if (svd.u().rows() != w.rows() || svd.vt().cols() != w.cols()) {
            throw new IllegalArgumentException("SVD factors U " + svd.u() + ", Vt " + svd.vt()
                    + " do not match the matrix " + w);
        }
        return new SingularSpectrum(singularValues, w.rows(), w.cols());
    }

    private static ReductionResult result(DenseMatrix w, SingularSpectrum spectrum, int k, DType dtype,
                                          StorageForm form, double error, double roundedError) {
        double[] s = spectrum.values();
        double norm = FrobeniusDistance.norm(w);
        return new ReductionResult(w.rows(), w.cols(), k, spectrum.maxRank(), dtype, form, norm, error, roundedError,
                SpectralStatistics.frobeniusErrorAtRank(s, k), norm == 0 ? 0 : error / norm,
                SpectralStatistics.energyKept(s, k), StorageAccounting.of(w.rows(), w.cols(), k, dtype));
    }
}
