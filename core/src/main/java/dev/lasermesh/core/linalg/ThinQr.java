package dev.lasermesh.core.linalg;

/**
 * The thin QR decomposition A = Q·R of a tall matrix (rows ≥ cols): Q rows × cols with orthonormal
 * columns, R cols × cols upper triangular, by Householder reflections (Golub &amp; Van Loan, "Matrix
 * Computations", 4th ed., Algorithm 5.2.1; backward stable, so Q is orthonormal to working precision).
 * A column that is already zero below the diagonal gets no reflection (LAPACK's {@code dlarfg} with
 * τ = 0), so rank-deficient input — a LoRA factor B that is still all zeros, say — decomposes too,
 * where EJML's QR reports failure.
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
        int m = a.rows();
        int n = a.cols();
        if (m < n) {
            throw new IllegalArgumentException("thin QR needs rows >= cols, got " + a);
        }
        double[] w = a.data().clone();
        double[][] reflectors = new double[n][];
        double[] betas = new double[n];
        for (int j = 0; j < n; j++) {
            double norm = 0;
            for (int i = j; i < m; i++) {
                norm = Math.hypot(norm, w[i * n + j]);
            }
            if (norm == 0) {
                continue;
            }
            double alpha = w[j * n + j] >= 0 ? -norm : norm;
            double[] v = new double[m - j];
            for (int i = j; i < m; i++) {
                v[i - j] = w[i * n + j];
            }
            v[0] -= alpha;
            double vv = 0;
            for (double x : v) {
                vv += x * x;
            }
            reflectors[j] = v;
            betas[j] = 2 / vv;
            reflect(w, n, j, j, n, v, betas[j]);
        }
        double[] r = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                r[i * n + j] = w[i * n + j];
            }
        }
        double[] q = new double[m * n];
        for (int i = 0; i < n; i++) {
            q[i * n + i] = 1;
        }
        for (int j = n - 1; j >= 0; j--) {
            if (reflectors[j] != null) {
                reflect(q, n, j, 0, n, reflectors[j], betas[j]);
            }
        }
        return new ThinQr(new DenseMatrix(m, n, q), new DenseMatrix(n, n, r));
    }

    /**
     * Applies H = I − β·v·vᵀ to rows [top, top + |v|) and columns [from, to) of the row-major matrix
     * {@code x} with {@code ld} columns.
     */
    private static void reflect(double[] x, int ld, int top, int from, int to, double[] v, double beta) {
        for (int c = from; c < to; c++) {
            double dot = 0;
            for (int i = 0; i < v.length; i++) {
                dot += v[i] * x[(top + i) * ld + c];
            }
            double f = beta * dot;
            for (int i = 0; i < v.length; i++) {
                x[(top + i) * ld + c] -= f * v[i];
            }
        }
    }
}
