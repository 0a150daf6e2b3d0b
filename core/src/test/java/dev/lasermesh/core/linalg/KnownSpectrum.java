package dev.lasermesh.core.linalg;

import java.util.SplittableRandom;

/**
 * Test matrices with singular values known by construction: A = U·diag(σ)·Vᵀ with U, V the Q
 * factors of seeded Gaussian matrices (Haar-distributed orthonormal columns), so the spectrum of A is
 * σ up to the rounding of forming the product (about ε·σ_max absolutely).
 *
 * @param name   what the spectrum is, for test names
 * @param matrix A
 * @param sigma  the singular values A was built with, descending
 */
record KnownSpectrum(String name, DenseMatrix matrix, double[] sigma) {

    @Override
    public String toString() {
        return name + " " + matrix.rows() + "x" + matrix.cols();
    }

    static KnownSpectrum of(String name, int rows, int cols, double[] sigma, long seed) {
        int p = sigma.length;
        SplittableRandom random = new SplittableRandom(seed);
        DenseMatrix u = ThinQr.of(gaussian(rows, p, random)).q();
        DenseMatrix v = ThinQr.of(gaussian(cols, p, random)).q();
        double[] a = new double[rows * cols];
        double[] scaledRow = new double[p];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < p; k++) {
                scaledRow[k] = u.get(i, k) * sigma[k];
            }
            for (int j = 0; j < cols; j++) {
                double sum = 0;
                for (int k = 0; k < p; k++) {
                    sum += scaledRow[k] * v.get(j, k);
                }
                a[i * cols + j] = sum;
            }
        }
        return new KnownSpectrum(name, new DenseMatrix(rows, cols, a), sigma.clone());
    }

    /** σ_i = (i+1)^(−α), i = 0..p−1, with α such that σ_0/σ_{p−1} = cond. */
    static double[] powerLaw(int p, double cond) {
        double alpha = Math.log(cond) / Math.log(p);
        double[] sigma = new double[p];
        for (int i = 0; i < p; i++) {
            sigma[i] = Math.pow(i + 1, -alpha);
        }
        return sigma;
    }

    private static DenseMatrix gaussian(int rows, int cols, SplittableRandom random) {
        double[] values = new double[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return new DenseMatrix(rows, cols, values);
    }
}
