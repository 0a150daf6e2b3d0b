package dev.lasermesh.core.linalg;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.ToIntFunction;
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

    /**
     * Eigenvalues from the own tridiagonalisation; the trailing eigenvectors, when asked for, from
     * EJML's full symmetric eigendecomposition of the same Gram matrix (EJML has no partial one).
     */
    @Override
    public GramEigenvalues gramEigenvalues(DenseMatrix a, ToIntFunction<double[]> trailingVectors) {
        DenseMatrix wide = a.rows() <= a.cols() ? a : a.transpose();
        int p = wide.rows();
        double[] gram = vectors.gram(wide);
        double[] ascending = SymmetricEigenvalues.ofUpperTriangle(gram.clone(), p);
        int m = trailingVectors.applyAsInt(ascending);
        if (m == 0) {
            return GramEigenvalues.valuesOnly(ascending);
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = decompose(gram, p, wide);
        int[] order = IntStream.range(0, eig.getNumberOfEigenvalues()).boxed()
                .sorted(Comparator.comparingDouble(i -> eig.getEigenvalue(i).getReal()))
                .mapToInt(Integer::intValue).limit(m).toArray();
        return new GramEigenvalues(ascending, eigenvectorRows(eig, order, p),
                SingularValueBounds.gramEigenvalueError(ascending[p - 1]));
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
        int p = wide.rows();
        EigenDecomposition_F64<DMatrixRMaj> eig = decompose(vectors.gram(wide), p, wide);
        int[] order = IntStream.range(0, eig.getNumberOfEigenvalues()).boxed()
                .sorted(Comparator.comparingDouble(i -> -eig.getEigenvalue(i).getReal()))
                .mapToInt(Integer::intValue).limit(k).toArray();
        double[] values = new double[k];
        for (int j = 0; j < k; j++) {
            values[j] = eig.getEigenvalue(order[j]).getReal();
        }
        return new SymmetricEigenpairs(values, eigenvectorRows(eig, order, p));
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

    private static EigenDecomposition_F64<DMatrixRMaj> decompose(double[] gram, int p, DenseMatrix wide) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(p, true, true);
        if (!eig.decompose(DMatrixRMaj.wrap(p, p, gram))) {
            throw new ArithmeticException("EJML's symmetric eigensolver did not converge for the Gram matrix of a "
                    + shape(wide) + " matrix");
        }
        return eig;
    }

    private static DenseMatrix eigenvectorRows(EigenDecomposition_F64<DMatrixRMaj> eig, int[] order, int p) {
        double[] rows = new double[order.length * p];
        for (int j = 0; j < order.length; j++) {
            System.arraycopy(eig.getEigenVector(order[j]).getData(), 0, rows, j * p, p);
        }
        return new DenseMatrix(order.length, p, rows);
    }

    private static DMatrixRMaj copyOf(DenseMatrix a) {
        return DMatrixRMaj.wrap(a.rows(), a.cols(), a.data().clone());
    }

    private static String shape(DenseMatrix a) {
        return a.rows() + "x" + a.cols();
    }
}
