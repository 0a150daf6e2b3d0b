package dev.lasermesh.core.eval;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/** Rank-k reconstructions for tests, computed with EJML's SVD independently of the project's linalg code. */
public final class RankKReconstruction {

    private RankKReconstruction() {
    }

    /** The reference's definition: W_k = U_k diag(S_k) V_kᵀ in float64 from the float32 weights, cast to float32. */
    public static float[] of(float[] w, int rows, int cols, int k) {
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < w.length; i++) {
            a.data[i] = w[i];
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(rows, cols, true, true, true);
        if (!svd.decompose(a)) {
            throw new IllegalStateException("SVD failed");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj s = svd.getW(null);
        DMatrixRMaj v = svd.getV(null, false);
        SingularOps_DDRM.descendingOrder(u, false, s, v, false);
        float[] out = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double x = 0;
                for (int r = 0; r < k; r++) {
                    x += u.get(i, r) * s.get(r, r) * v.get(j, r);
                }
                out[i * cols + j] = (float) x;
            }
        }
        return out;
    }
}
