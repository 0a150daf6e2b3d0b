package dev.lasermesh.core.linalg;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * The kernels in pure Java: Gram products and matrix products from {@link VectorKernels},
 * eigenvalues from {@link SymmetricEigenvalues} (own tridiagonalisation, EJML's tridiagonal QR),
 * the other decompositions from EJML (symmetric QR for eigenvectors, implicit-shift QR on a
 * bidiagonalisation for SVDs). All are backward stable, so their errors are about ε·‖A‖ like
 * LAPACK's.
 *
 * <p>EJML has no partial symmetric eigensolver, so the top-k route computes all eigenvectors of the
 * p×p Gram matrix; that is still far cheaper than EJML's SVD of the p×q matrix with vectors.
 */
final class JavaKernels implements DenseKernels {

    private final VectorKernels vectors;

    JavaKernels(int threads) {
        this.vectors = new VectorKernels(threads);
    }

    @Override
    public int threads() {
        return vectors.threads();
    }

    @Override
    public double[] gramEigenvalues(DenseMatrix a) {
        DenseMatrix wide = a.rows() <= a.cols() ? a : a.transpose();
        return SymmetricEigenvalues.ofUpperTriangle(vectors.gram(wide), wide.rows());
    }

    @Override
    public double[] svdValues(DenseMatrix a) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.rows(), a.cols(),
                false, false, true);
        if (!svd.decompose(copyOf(a))) {
            throw new ArithmeticException("EJML's SVD did not converge for a " + shape(a) + " matrix");
        }
        double[] values = Arrays.copyOf(svd.getSingularValues(), svd.numberOfSingularValues());
        Arrays.sort(values);
        for (int i = 0, j = values.length - 1; i < j; i++, j--) {
            double t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
        return values;
    }

    @Override
    public SymmetricEigenpairs largestGramEigenpairs(DenseMatrix wide, int k) {
        EigenDecomposition_F64<DMatrixRMaj> eig = decomposeGram(wide);
        int p = wide.rows();
        int[] order = IntStream.range(0, eig.getNumberOfEigenvalues()).boxed()
                .sorted(Comparator.comparingDouble(i -> -eig.getEigenvalue(i).getReal()))
                .mapToInt(Integer::intValue).limit(k).toArray();
        double[] values = new double[k];
        double[] rows = new double[k * p];
        for (int j = 0; j < k; j++) {
            values[j] = eig.getEigenvalue(order[j]).getReal();
            System.arraycopy(eig.getEigenVector(order[j]).getData(), 0, rows, j * p, p);
        }
        return new SymmetricEigenpairs(values, new DenseMatrix(k, p, rows));
    }

    @Override
    public Svd thinSvd(DenseMatrix a) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(a.rows(), a.cols(),
                true, true, true);
        if (!svd.decompose(copyOf(a))) {
            throw new ArithmeticException("EJML's SVD did not converge for a " + shape(a) + " matrix");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj w = svd.getW(null);
        DMatrixRMaj vt = svd.getV(null, true);
        SingularOps_DDRM.descendingOrder(u, false, w, vt, true);
        int p = a.minDim();
        double[] s = new double[p];
        for (int i = 0; i < p; i++) {
            s[i] = w.get(i, i);
        }
        return new Svd(new DenseMatrix(u.numRows, u.numCols, u.getData()), s,
                new DenseMatrix(vt.numRows, vt.numCols, vt.getData()));
    }

    @Override
    public DenseMatrix multiply(DenseMatrix x, DenseMatrix y) {
        return vectors.multiply(x, y);
    }

    private EigenDecomposition_F64<DMatrixRMaj> decomposeGram(DenseMatrix wide) {
        int p = wide.rows();
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(p, true, true);
        if (!eig.decompose(DMatrixRMaj.wrap(p, p, vectors.gram(wide)))) {
            throw new ArithmeticException("EJML's symmetric eigensolver did not converge for the Gram matrix of a "
                    + shape(wide) + " matrix");
        }
        return eig;
    }

    private static DMatrixRMaj copyOf(DenseMatrix a) {
        return DMatrixRMaj.wrap(a.rows(), a.cols(), a.data().clone());
    }

    private static String shape(DenseMatrix a) {
        return a.rows() + "x" + a.cols();
    }
}
