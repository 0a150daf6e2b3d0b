package dev.lasermesh.core.reduce;

import dev.lasermesh.core.linalg.DenseMatrix;
import dev.lasermesh.core.linalg.Svd;
import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/** Matrices with a known SVD, and products by EJML, independent of the code under test. */
final class TestMatrices {

    private TestMatrices() {
    }

    /** W = U·diag(s)·Vᵀ with U, V the orthonormal Q factors of Gaussian matrices; s descending. */
    record Known(DenseMatrix w, Svd svd) {
        double[] singularValues() {
            return svd.s().clone();
        }
    }

    static Known withSingularValues(int rows, int cols, double[] s, long seed) {
        Random random = new Random(seed);
        DMatrixRMaj u = orthonormalColumns(rows, s.length, random);
        DMatrixRMaj v = orthonormalColumns(cols, s.length, random);
        DMatrixRMaj us = u.copy();
        for (int i = 0; i < rows; i++) {
            for (int l = 0; l < s.length; l++) {
                us.set(i, l, u.get(i, l) * s[l]);
            }
        }
        DMatrixRMaj w = new DMatrixRMaj(rows, cols);
        CommonOps_DDRM.multTransB(us, v, w);
        DMatrixRMaj vt = new DMatrixRMaj(s.length, cols);
        CommonOps_DDRM.transpose(v, vt);
        return new Known(dense(w), new Svd(dense(u), s.clone(), dense(vt)));
    }

    /** s_i = top·decay^i, i &lt; count. */
    static double[] geometric(int count, double top, double decay) {
        double[] s = new double[count];
        for (int i = 0; i < count; i++) {
            s[i] = top * Math.pow(decay, i);
        }
        return s;
    }

    static DenseMatrix gaussian(int rows, int cols, long seed) {
        return dense(RandomMatrices_DDRM.rectangleGaussian(rows, cols, 0, 1, new Random(seed)));
    }

    /** EJML's product. */
    static DenseMatrix product(DenseMatrix a, DenseMatrix b) {
        DMatrixRMaj c = new DMatrixRMaj(a.rows(), b.cols());
        CommonOps_DDRM.mult(ejml(a), ejml(b), c);
        return dense(c);
    }

    static double maxAbsDifference(DenseMatrix a, DenseMatrix b) {
        double max = 0;
        for (int i = 0; i < a.data().length; i++) {
            max = Math.max(max, Math.abs(a.data()[i] - b.data()[i]));
        }
        return max;
    }

    private static DMatrixRMaj orthonormalColumns(int rows, int cols, Random random) {
        DMatrixRMaj gaussian = RandomMatrices_DDRM.rectangleGaussian(rows, cols, 0, 1, random);
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(rows, cols);
        if (!qr.decompose(gaussian)) {
            throw new IllegalStateException("EJML QR failed");
        }
        return qr.getQ(null, true);
    }

    private static DMatrixRMaj ejml(DenseMatrix m) {
        return DMatrixRMaj.wrap(m.rows(), m.cols(), m.data().clone());
    }

    private static DenseMatrix dense(DMatrixRMaj m) {
        return new DenseMatrix(m.numRows, m.numCols, Arrays.copyOf(m.data, m.numRows * m.numCols));
    }
}
