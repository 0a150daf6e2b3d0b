package dev.lasermesh.gateway.assembly;

import java.util.Arrays;
import java.util.Random;

/**
 * A matrix of any size with known singular values whose every element costs O(1): W = H_u·D·H_w with
 * D the rows × cols diagonal of s and H_x = I − 2xxᵀ a Householder reflection (x a random unit vector),
 * so U = H_u, Vᵀ = H_w and W_k = H_u·D_k·H_w keeps the first k values of s. A test writes and checks a
 * matrix larger than its heap row by row with it, with no SVD:
 * W_k[i][j] = [i = j &lt; k]·s_i − 2u_i·[j &lt; k]·u_j·s_j − 2[i &lt; k]·s_i·w_i·w_j + 4c_k·u_i·w_j, with
 * c_k = Σ_{l&lt;k} u_l·s_l·w_l; the factors are A = U_k·√S_k, B = √S_k·V_kᵀ.
 *
 * @param s singular values, descending, min(rows, cols) of them
 */
record ReflectedDiagonal(int rows, int cols, double[] s, double[] u, double[] w) {

    /** s_l = 1/√(1 + l), unit u and w drawn from {@code seed}. */
    static ReflectedDiagonal of(int rows, int cols, long seed) {
        Random random = new Random(seed);
        return new ReflectedDiagonal(rows, cols, spectrum(rows, cols), unit(rows, random), unit(cols, random));
    }

    /** The singular values of every matrix {@link #of} makes at this size. */
    static double[] spectrum(int rows, int cols) {
        double[] s = new double[Math.min(rows, cols)];
        for (int l = 0; l < s.length; l++) {
            s[l] = 1 / Math.sqrt(1 + l);
        }
        return s;
    }

    private static double[] unit(int n, Random random) {
        double[] x = random.doubles(n, -1, 1).toArray();
        double norm = Math.sqrt(Arrays.stream(x).map(v -> v * v).sum());
        for (int i = 0; i < n; i++) {
            x[i] /= norm;
        }
        return x;
    }

    /** Row i of W_k (k = s.length for W itself). */
    double[] row(int i, int k) {
        double c = 0;
        for (int l = 0; l < k; l++) {
            c += u[l] * s[l] * w[l];
        }
        double[] row = new double[cols];
        for (int j = 0; j < cols; j++) {
            double v = (i == j && i < k ? s[i] : 0) - 2 * u[i] * (j < k ? u[j] * s[j] : 0)
                    - 2 * (i < k ? s[i] * w[i] : 0) * w[j] + 4 * c * u[i] * w[j];
            row[j] = v;
        }
        return row;
    }

    /** Row i of A = U_k·√S_k (k values). */
    double[] leftRow(int i, int k) {
        double[] row = new double[k];
        for (int l = 0; l < k; l++) {
            row[l] = ((i == l ? 1 : 0) - 2 * u[i] * u[l]) * Math.sqrt(s[l]);
        }
        return row;
    }

    /** Row l of B = √S_k·V_kᵀ (cols values). */
    double[] rightRow(int l) {
        double[] row = new double[cols];
        for (int j = 0; j < cols; j++) {
            row[j] = Math.sqrt(s[l]) * ((l == j ? 1 : 0) - 2 * w[l] * w[j]);
        }
        return row;
    }

    /** √(Σ_{l≥k} s_l²): ‖W − W_k‖_F in exact arithmetic. */
    double eckartYoung(int k) {
        double sum = 0;
        for (int l = k; l < s.length; l++) {
            sum += s[l] * s[l];
        }
        return Math.sqrt(sum);
    }
}
