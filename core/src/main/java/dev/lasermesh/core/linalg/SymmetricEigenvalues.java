package dev.lasermesh.core.linalg;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.ejml.dense.row.decomposition.eig.symm.SymmetricQrAlgorithm_DDRM;

/**
 * Eigenvalues of a symmetric matrix in pure Java: Householder reduction to tridiagonal form with
 * Vector API loops, then EJML's implicit symmetric QR on the tridiagonal matrix (values only).
 *
 * <p>EJML's own tridiagonalisation runs at about 2 GFlop/s, which made it 90% of the pure-Java
 * spectrum time at 1024×2816; the reduction is memory-bound, so this one streams the matrix once
 * per step instead of twice: step k's rank-2 update A ← A − v·wᵀ − w·vᵀ is applied to each row in
 * the same pass that forms the next step's product p = A·v, reading only the upper triangle (the
 * reduction and formulas of Golub &amp; Van Loan, <i>Matrix Computations</i>, 4th ed., Algorithm
 * 8.3.1; the reflector as LAPACK's {@code dlarfg}, which keeps β = −sign(α)·‖x‖ to avoid
 * cancellation). Householder reduction is backward stable, so eigenvalue errors stay about ε·‖A‖.
 */
final class SymmetricEigenvalues {

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private SymmetricEigenvalues() {
    }

    /**
     * Eigenvalues, ascending, of the symmetric n×n row-major matrix whose upper triangle (diagonal
     * included) is in {@code a}; the array is overwritten.
     */
    static double[] ofUpperTriangle(double[] a, int n) {
        if (n == 0) {
            return new double[0];
        }
        double[] diag = new double[n];
        double[] off = new double[Math.max(1, n - 1)];
        double[] v = new double[n];
        double[] w = new double[n];
        double[] nextV = new double[n];
        double[] p = new double[n];
        for (int k = 0; k < n - 1; k++) {
            applyPendingUpdate(a, n, k, v, w);
            diag[k] = a[k * n + k];
            double tau = reflector(a, n, k, nextV, off);
            Arrays.fill(p, k + 1, n, 0.0);
            for (int i = k + 1; i < n; i++) {
                updateRowAndMultiply(a, n, i, v, w, nextV, p);
            }
            double[] swap = v;
            v = nextV;
            nextV = swap;
            formW(tau, v, p, w, k + 1, n);
        }
        applyPendingUpdate(a, n, n - 1, v, w);
        diag[n - 1] = a[(n - 1) * n + n - 1];
        return tridiagonalEigenvalues(diag, off, n);
    }

    /** Row k, entries j ≥ k, receives the previous step's rank-2 update. */
    private static void applyPendingUpdate(double[] a, int n, int k, double[] v, double[] w) {
        int row = k * n;
        for (int j = k; j < n; j++) {
            a[row + j] -= v[k] * w[j] + w[k] * v[j];
        }
    }

    /**
     * The Householder reflector H = I − τ·u·uᵀ (u_{k+1} = 1) that maps x = A[k, k+1..n) onto
     * β·e₁; stores u in {@code u}, β as the off-diagonal entry k, returns τ (0 when x is already
     * β·e₁, so that H = I and u = 0).
     */
    private static double reflector(double[] a, int n, int k, double[] u, double[] off) {
        int row = k * n;
        double alpha = a[row + k + 1];
        double tailNorm = scaledNorm(a, row + k + 2, n - k - 2);
        Arrays.fill(u, 0.0);
        if (tailNorm == 0.0) {
            off[k] = alpha;
            return 0.0;
        }
        double beta = -Math.copySign(Math.hypot(alpha, tailNorm), alpha);
        double scale = 1.0 / (alpha - beta);
        u[k + 1] = 1.0;
        for (int j = k + 2; j < n; j++) {
            u[j] = a[row + j] * scale;
        }
        off[k] = beta;
        return (beta - alpha) / beta;
    }

    /**
     * Applies A_i· ← A_i· − v_i·w − w_i·v on row i (j ≥ i) and adds that row's share of A·u to p:
     * p_i += Σ_{j≥i} A_ij·u_j and p_j += A_ij·u_i for j &gt; i (the lower triangle by symmetry).
     */
    private static void updateRowAndMultiply(double[] a, int n, int i, double[] v, double[] w, double[] u,
                                             double[] p) {
        int row = i * n;
        double vi = v[i];
        double wi = w[i];
        double ui = u[i];
        double diagonal = a[row + i] - 2 * vi * wi;
        a[row + i] = diagonal;
        double sum = diagonal * ui;
        DoubleVector minusVi = DoubleVector.broadcast(SPECIES, -vi);
        DoubleVector minusWi = DoubleVector.broadcast(SPECIES, -wi);
        DoubleVector uiVector = DoubleVector.broadcast(SPECIES, ui);
        DoubleVector acc = DoubleVector.zero(SPECIES);
        int j = i + 1;
        for (int end = j + SPECIES.loopBound(n - j); j < end; j += LANES) {
            DoubleVector x = DoubleVector.fromArray(SPECIES, a, row + j);
            x = DoubleVector.fromArray(SPECIES, w, j).fma(minusVi, x);
            x = DoubleVector.fromArray(SPECIES, v, j).fma(minusWi, x);
            x.intoArray(a, row + j);
            acc = x.fma(DoubleVector.fromArray(SPECIES, u, j), acc);
            x.fma(uiVector, DoubleVector.fromArray(SPECIES, p, j)).intoArray(p, j);
        }
        for (; j < n; j++) {
            double x = a[row + j] - vi * w[j] - wi * v[j];
            a[row + j] = x;
            sum += x * u[j];
            p[j] += x * ui;
        }
        p[i] += sum + acc.reduceLanes(VectorOperators.ADD);
    }

    /** w = τ·p − (τ²/2)·(pᵀu)·u over [from, n), with p = A·u (GVL Algorithm 8.3.1). */
    private static void formW(double tau, double[] u, double[] p, double[] w, int from, int n) {
        double pu = 0;
        for (int j = from; j < n; j++) {
            pu += p[j] * u[j];
        }
        double k = 0.5 * tau * tau * pu;
        Arrays.fill(w, 0, from, 0.0);
        for (int j = from; j < n; j++) {
            w[j] = tau * p[j] - k * u[j];
        }
    }

    /** ‖x‖ of {@code length} entries from {@code from}, scaled so squares cannot overflow. */
    private static double scaledNorm(double[] x, int from, int length) {
        double max = 0;
        for (int j = from; j < from + length; j++) {
            max = Math.max(max, Math.abs(x[j]));
        }
        if (max == 0.0) {
            return 0.0;
        }
        double sum = 0;
        for (int j = from; j < from + length; j++) {
            double y = x[j] / max;
            sum += y * y;
        }
        return max * Math.sqrt(sum);
    }

    private static double[] tridiagonalEigenvalues(double[] diag, double[] off, int n) {
        SymmetricQrAlgorithm_DDRM qr = new SymmetricQrAlgorithm_DDRM();
        qr.setQ(null);
        qr.setFastEigenvalues(true);
        if (!qr.process(n, diag, off)) {
            throw new ArithmeticException("EJML's tridiagonal QR did not converge for a " + n + "x" + n
                    + " symmetric matrix");
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = qr.getEigenvalue(i);
        }
        Arrays.sort(values);
        return values;
    }
}
