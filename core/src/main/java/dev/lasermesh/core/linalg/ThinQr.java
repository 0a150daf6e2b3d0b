package dev.lasermesh.core.linalg;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * The thin QR decomposition A = Q·R of a tall matrix (rows ≥ cols): Q rows × cols with orthonormal
 * columns, R cols × cols upper triangular. Householder reflections (EJML), backward stable (Golub &amp;
 * Van Loan, "Matrix Computations", 4th ed., §5.2.2), so Q is orthonormal to working precision even
 * when A is rank-deficient.
 *
 * @param q rows × cols, orthonormal columns
 * @param r cols × cols, upper triangular
 */
public record ThinQr(DenseMatrix q, DenseMatrix r) {

    /**
     * Decomposes {@code a} (not modified).
     *
     * @throws IllegalArgumentException when {@code a} is wider than tall
     */
    public static ThinQr of(DenseMatrix a) {
        if (a.rows() < a.cols()) {
            throw new IllegalArgumentException("thin QR needs rows >= cols, got " + a);
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(a.rows(), a.cols());
        if (!qr.decompose(DMatrixRMaj.wrap(a.rows(), a.cols(), a.data().clone()))) {
            throw new IllegalStateException("QR decomposition of " + a + " failed");
        }
        DMatrixRMaj q = qr.getQ(null, true);
        DMatrixRMaj r = qr.getR(null, true);
        return new ThinQr(new DenseMatrix(q.numRows, q.numCols, q.data), new DenseMatrix(r.numRows, r.numCols, r.data));
    }
}
