package dev.lasermesh.core.linalg;

import static org.bytedeco.openblas.global.openblas.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas.CblasTrans;
import static org.bytedeco.openblas.global.openblas.CblasUpper;
import static org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dgesdd;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dormqr;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dormtr;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dstemr;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dsterf;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dsytrd;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dsyevr;
import static org.bytedeco.openblas.global.openblas.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas.cblas_dsyrk;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas;

/**
 * The kernels on OpenBLAS (BLAS + LAPACKE through the bytedeco presets), working on off-heap copies.
 *
 * <p>Layout trick used throughout, to spare LAPACKE its internal transposition copies: a row-major
 * r×c array is, read column-major, the c×r transpose. So the upper triangle of a row-major Gram
 * matrix is the lower triangle of the same (symmetric) matrix in column-major order, and an SVD of
 * the column-major Aᵀ returns Vᵀ of A where LAPACK writes U, and U of A where it writes Vᵀ.
 *
 * <p>OpenBLAS's thread count is process-wide: it is set before every call, so two instances with
 * different counts used concurrently race for it (the results stay correct, only speed changes).
 */
final class OpenBlasKernels implements DenseKernels {

    private static final byte VALUES_ONLY = 'N';
    private static final byte THIN_VECTORS = 'S';
    private static final byte WITH_VECTORS = 'V';
    private static final byte INDEX_RANGE = 'I';
    private static final byte LOWER = 'L';
    private static final byte LEFT = 'L';
    private static final byte NO_TRANSPOSE = 'N';

    private final int threads;
    private final TwoStageReduction reduction;

    /** @throws LinkageError (UnsatisfiedLinkError) when the native libraries cannot be loaded */
    OpenBlasKernels(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("OpenBLAS thread count must be at least 1, got " + threads);
        }
        Loader.load(openblas.class);
        this.threads = threads;
        this.reduction = new TwoStageReduction();
    }

    @Override
    public int threads() {
        return threads;
    }

    /**
     * dsyrk, then LAPACK's two-stage reduction ({@link TwoStageReduction}) and dsterf for all
     * eigenvalues. The m smallest eigenvectors, when asked for, come from inverse iteration on the
     * band ({@link BandEigenvectors}), carried back by the first stage's reflectors (dormqr, 2p²m
     * flops), while that pays ({@link #bandVectorsPay}) and the vectors pass their check; otherwise
     * from the one-stage path on a recomputed Gram matrix (dsytrd, dstemr for the m vectors of the
     * tridiagonal matrix, dormtr).
     */
    @Override
    public GramEigenvalues gramEigenvalues(DenseMatrix a, ToIntFunction<double[]> trailingVectors) {
        int p = a.minDim();
        int kd = TwoStageReduction.bandwidth(p);
        long bandLength = (long) (kd + 1) * p;
        try (DoublePointer pa = copyOf(a);
             DoublePointer gram = new DoublePointer((long) p * p);
             DoublePointer band = new DoublePointer(bandLength);
             DoublePointer reduced = new DoublePointer(bandLength);
             DoublePointer tau = new DoublePointer(Math.max(1, p));
             DoublePointer diagonal = new DoublePointer(p);
             DoublePointer offDiagonal = new DoublePointer(p)) {
            formGramUpper(a, pa, gram);
            reduction.toBand(gram, p, kd, band, tau);
            Pointer.memcpy(reduced, band, bandLength * Double.BYTES);
            reduction.toTridiagonal(reduced, p, kd, diagonal, offDiagonal);
            check(LAPACKE_dsterf(p, diagonal, offDiagonal), "dsterf", a);
            double[] ascending = toArray(diagonal, p);
            int m = trailingVectors.applyAsInt(ascending);
            if (m == 0) {
                return GramEigenvalues.valuesOnly(ascending);
            }
            double eigenvalueError = SingularValueBounds.gramEigenvalueError(ascending[p - 1]);
            if (bandVectorsPay(m, p, kd)) {
                Optional<BandEigenvectors.Result> found = BandEigenvectors.compute(band, p, kd,
                        Arrays.copyOf(ascending, m), eigenvalueError);
                if (found.isPresent()) {
                    return new GramEigenvalues(ascending, carryBack(found.get().vectorsAsRows(), gram, tau, p, kd, m, a),
                            eigenvalueError + found.get().residual());
                }
            }
            return new GramEigenvalues(ascending, oneStageTrailingVectors(a, pa, gram, m), eigenvalueError);
        }
    }

    /**
     * Whether inverse iteration on the band is the cheaper way to m vectors: about 4p·kd² flops each,
     * kept below p³/4 in all, against about 2.3p³ for redoing the Gram product and a one-stage
     * reduction (at p = 4096, kd = 64: up to 256 vectors).
     */
    static boolean bandVectorsPay(int m, int p, int kd) {
        return 16L * m * kd * kd <= (long) p * p;
    }

    /** Q1·Z for the band's eigenvectors Z (m×p as rows = p×m column-major), Q1 from the first stage. */
    private DenseMatrix carryBack(double[] vectorsAsRows, DoublePointer reflectors, DoublePointer tau, int p, int kd,
                                  int m, DenseMatrix a) {
        try (DoublePointer vectors = new DoublePointer(vectorsAsRows)) {
            int reflected = p - kd;
            if (reflected > 1) {
                useThreads();
                check(LAPACKE_dormqr(LAPACK_COL_MAJOR, LEFT, NO_TRANSPOSE, reflected, m, reflected,
                        new DoublePointer(reflectors).position(kd), p, tau, new DoublePointer(vectors).position(kd), p),
                        "dormqr", a);
            }
            return new DenseMatrix(m, p, toArray(vectors, p * m));
        }
    }

    /**
     * The m smallest eigenvectors the one-stage way: the Gram matrix again (the two-stage reduction
     * overwrote it), dsytrd, dstemr for the m vectors of the tridiagonal matrix (MRRR, O(p·m)),
     * dormtr to carry them back.
     */
    private DenseMatrix oneStageTrailingVectors(DenseMatrix a, DoublePointer pa, DoublePointer gram, int m) {
        int p = a.minDim();
        try (DoublePointer diagonal = new DoublePointer(p);
             DoublePointer offDiagonal = new DoublePointer(p);
             DoublePointer tau = new DoublePointer(Math.max(1, p - 1));
             DoublePointer vectors = new DoublePointer((long) p * m);
             DoublePointer found = new DoublePointer(p);
             IntPointer count = new IntPointer(1);
             IntPointer support = new IntPointer(2L * m);
             IntPointer tryRelativeAccuracy = new IntPointer(new int[] {1})) {
            formGramUpper(a, pa, gram);
            check(LAPACKE_dsytrd(LAPACK_COL_MAJOR, LOWER, p, gram, p, diagonal, offDiagonal, tau), "dsytrd", a);
            check(LAPACKE_dstemr(LAPACK_COL_MAJOR, WITH_VECTORS, INDEX_RANGE, p, diagonal, offDiagonal, 0.0, 0.0,
                    1, m, count, found, vectors, p, m, support, tryRelativeAccuracy), "dstemr", a);
            if (count.get() != m) {
                throw new ArithmeticException("dstemr returned " + count.get() + " of " + m
                        + " requested eigenvectors for the Gram matrix of a " + shape(a) + " matrix");
            }
            useThreads();
            check(LAPACKE_dormtr(LAPACK_COL_MAJOR, LEFT, LOWER, NO_TRANSPOSE, p, m, gram, p, tau, vectors, p),
                    "dormtr", a);
            return new DenseMatrix(m, p, toArray(vectors, p * m));
        }
    }

    @Override
    public double[] svdValues(DenseMatrix a) {
        int p = a.minDim();
        try (DoublePointer pa = copyOf(a);
             DoublePointer s = new DoublePointer(p);
             DoublePointer unused = new DoublePointer(1)) {
            useThreads();
            check(LAPACKE_dgesdd(LAPACK_COL_MAJOR, VALUES_ONLY, a.cols(), a.rows(), pa, a.cols(), s, unused, 1,
                    unused, 1), "dgesdd", a);
            return toArray(s, p);
        }
    }

    @Override
    public SymmetricEigenpairs largestGramEigenpairs(DenseMatrix wide, int k) {
        int p = wide.rows();
        try (DoublePointer pa = copyOf(wide);
             DoublePointer gram = new DoublePointer((long) p * p);
             DoublePointer w = new DoublePointer(p);
             DoublePointer z = new DoublePointer((long) p * k);
             IntPointer found = new IntPointer(1);
             IntPointer support = new IntPointer(2L * k)) {
            formGramUpper(wide, pa, gram);
            check(LAPACKE_dsyevr(LAPACK_COL_MAJOR, WITH_VECTORS, INDEX_RANGE, LOWER, p, gram, p, 0.0, 0.0,
                    p - k + 1, p, Double.MIN_NORMAL, found, w, z, p, support), "dsyevr", wide);
            if (found.get() != k) {
                throw new ArithmeticException("dsyevr returned " + found.get() + " of " + k
                        + " requested eigenpairs for the Gram matrix of a " + shape(wide) + " matrix");
            }
            double[] ascending = toArray(w, k);
            double[] vectorsAscending = new double[k * p];
            z.get(vectorsAscending);
            double[] values = new double[k];
            double[] rows = new double[k * p];
            for (int j = 0; j < k; j++) {
                values[j] = ascending[k - 1 - j];
                System.arraycopy(vectorsAscending, (k - 1 - j) * p, rows, j * p, p);
            }
            return new SymmetricEigenpairs(values, new DenseMatrix(k, p, rows));
        }
    }

    @Override
    public Svd thinSvd(DenseMatrix a) {
        int m = a.rows();
        int n = a.cols();
        int p = a.minDim();
        try (DoublePointer pa = copyOf(a);
             DoublePointer s = new DoublePointer(p);
             DoublePointer vtOfA = new DoublePointer((long) p * n);
             DoublePointer uOfA = new DoublePointer((long) m * p)) {
            useThreads();
            check(LAPACKE_dgesdd(LAPACK_COL_MAJOR, THIN_VECTORS, n, m, pa, n, s, vtOfA, n, uOfA, p), "dgesdd", a);
            return new Svd(new DenseMatrix(m, p, toArray(uOfA, m * p)), toArray(s, p),
                    new DenseMatrix(p, n, toArray(vtOfA, p * n)));
        }
    }

    @Override
    public DenseMatrix multiply(DenseMatrix x, DenseMatrix y) {
        int m = x.rows();
        int inner = x.cols();
        int n = y.cols();
        try (DoublePointer px = copyOf(x);
             DoublePointer py = copyOf(y);
             DoublePointer c = new DoublePointer((long) m * n)) {
            useThreads();
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, inner, 1.0, px, Math.max(1, inner), py,
                    Math.max(1, n), 0.0, c, Math.max(1, n));
            return new DenseMatrix(m, n, toArray(c, m * n));
        }
    }

    /**
     * Upper triangle (row-major) of A·Aᵀ for wide A, of Aᵀ·A for tall A, the other triangle zero. dsyrk
     * leaves that triangle as it found it, and native memory comes uninitialised: LAPACKE's dormqr and
     * dormtr check the whole rectangle they are given for NaN (the reflectors' trapezoid and the other
     * triangle alike), so leftover bytes that happen to spell a NaN would make them refuse the matrix.
     */
    private void formGramUpper(DenseMatrix a, DoublePointer pa, DoublePointer gram) {
        boolean wide = a.rows() <= a.cols();
        int p = a.minDim();
        int depth = wide ? a.cols() : a.rows();
        Pointer.memset(gram, 0, (long) p * p * Double.BYTES);
        useThreads();
        cblas_dsyrk(CblasRowMajor, CblasUpper, wide ? CblasNoTrans : CblasTrans, p, depth, 1.0, pa, a.cols(), 0.0,
                gram, p);
    }

    private void useThreads() {
        openblas.blas_set_num_threads(threads);
    }

    private static DoublePointer copyOf(DenseMatrix a) {
        DoublePointer pointer = new DoublePointer(Math.max(1, a.data().length));
        pointer.put(a.data());
        return pointer;
    }

    private static double[] toArray(DoublePointer pointer, int length) {
        double[] out = new double[length];
        pointer.get(out);
        return out;
    }

    private static void check(int info, String routine, DenseMatrix a) {
        if (info < 0) {
            throw new IllegalStateException(routine + " rejected argument " + (-info) + " for a " + shape(a)
                    + " matrix");
        }
        if (info > 0) {
            throw new ArithmeticException(routine + " did not converge for a " + shape(a) + " matrix (info "
                    + info + ")");
        }
    }

    private static String shape(DenseMatrix a) {
        return a.rows() + "x" + a.cols();
    }
}
