package dev.lasermesh.core.reduce;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.model.RankMap;
import dev.lasermesh.core.tensor.TensorFormatException;
import dev.lasermesh.core.tensor.TensorInfo;
import dev.lasermesh.core.tensor.TensorSource;
import java.util.Arrays;

/**
 * A rank-k matrix stored as two factors W_k = A·B, A = U_k·diag(√S_k) (rows × k) and
 * B = diag(√S_k)·V_kᵀ (k × cols): k(rows + cols) numbers instead of rows·cols, the storage LASER's
 * authors point to for real memory savings (pratyushasharma/laser issue #28). Splitting √S evenly
 * gives both factors the same scale, which suits low-precision storage.
 *
 * @param a rows × k
 * @param b k × cols
 */
public record LowRankFactors(DenseMatrix a, DenseMatrix b) {

    public LowRankFactors {
        if (a.cols() != b.rows()) {
            throw new IllegalArgumentException("factors do not chain: A is " + a + ", B is " + b);
        }
    }

    /**
     * The factors of {@code name} as a factored folder stores them ({@link RankMap}): A is
     * {@code <module>.1.weight} (out × k), B is {@code <module>.0.weight} (k × in), both decoded exactly.
     *
     * @throws TensorFormatException naming the tensor when a factor is missing or the shapes do not
     *                               chain at the listed rank
     */
    public static LowRankFactors read(TensorSource source, String name, RankMap.Entry entry) {
        TensorInfo first = factor(source, name, entry.first());
        TensorInfo second = factor(source, name, entry.second());
        int k = entry.rank();
        if (first.rank() != 2 || second.rank() != 2 || first.shape()[0] != k || second.shape()[1] != k) {
            throw new TensorFormatException(source.description() + ": the factors of " + name + " have shapes "
                    + Arrays.toString(first.shape()) + " and " + Arrays.toString(second.shape()) + ", not [" + k
                    + ", in] and [out, " + k + "] for the rank " + k + " in " + RankMap.FILE);
        }
        return new LowRankFactors(new DenseMatrix(second.rows(), k, source.readDoubles(second.name())),
                new DenseMatrix(k, first.cols(), source.readDoubles(first.name())));
    }

    private static TensorInfo factor(TensorSource source, String name, String factor) {
        if (!source.contains(factor)) {
            throw new TensorFormatException(source.description() + ": factor " + factor + " of " + name
                    + " (listed in " + RankMap.FILE + ") is missing");
        }
        return source.info(factor);
    }

    /** k. */
    public int rank() {
        return a.cols();
    }

    /** A·B in float64. */
    public DenseMatrix product() {
        return MatrixProduct.multiply(a, null, b, rank());
    }

    /**
     * A·B computed in float64 and rounded once to float32: the matrix the factors stand for, as the
     * float32 forward pass takes it. It then differs from the dense form of the same truncation (W_k
     * rounded once) only by the rounding of the stored factors to their dtype.
     */
    public float[] productAsFloats() {
        double[] product = product().data();
        float[] values = new float[product.length];
        for (int i = 0; i < product.length; i++) {
            values[i] = (float) product[i];
        }
        return values;
    }
}
