package dev.lasermesh.core.spectrum;

import java.util.Locale;

/**
 * The noise bulk of a rows × cols matrix whose entries are i.i.d. noise of standard deviation σ:
 * its singular values s satisfy s² = σ²·n·λ with λ distributed by the Marchenko–Pastur law of ratio
 * β = m/n ({@link MarchenkoPastur}), n = max(rows, cols), m = min(rows, cols). So the singular values
 * fill [σ(√n − √m), σ(√n + √m)] — the classical edge the {@code mp-edge} policy thresholds at.
 *
 * <p>Used to draw the expected noise spectrum over a measured one (ESD histogram of the dashboard),
 * as a density of the singular values or of their squares.
 *
 * @param rows  rows of the matrix
 * @param cols  columns of the matrix
 * @param sigma standard deviation of the entries, &gt; 0
 */
public record MarchenkoPasturBulk(int rows, int cols, double sigma) {

    public MarchenkoPasturBulk {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("matrix shape must be positive, got " + rows + "x" + cols);
        }
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "noise level sigma must be finite and > 0, got %s", sigma));
        }
    }

    /** The unit-variance law of λ = s²/(σ²n). */
    public MarchenkoPastur law() {
        return MarchenkoPastur.withRatio((double) Math.min(rows, cols) / Math.max(rows, cols));
    }

    /** σ(√n − √m), the smallest singular value of the bulk. */
    public double lowerSingularEdge() {
        return sigma * (Math.sqrt(Math.max(rows, cols)) - Math.sqrt(Math.min(rows, cols)));
    }

    /** σ(√n + √m), the largest singular value of the bulk. */
    public double upperSingularEdge() {
        return sigma * (Math.sqrt(Math.max(rows, cols)) + Math.sqrt(Math.min(rows, cols)));
    }

    /** Density of one singular value s: f(s²/c)·2s/c with c = σ²n. */
    public double singularValueDensity(double s) {
        double scale = scale();
        return law().density(s * s / scale) * 2 * s / scale;
    }

    /** P(singular value ≤ s). */
    public double singularValueCdf(double s) {
        return s <= 0 ? 0 : law().cdf(s * s / scale());
    }

    /** Density of one squared singular value x = s²: f(x/c)/c with c = σ²n. */
    public double squaredDensity(double x) {
        double scale = scale();
        return law().density(x / scale) / scale;
    }

    /** P(s² ≤ x). */
    public double squaredCdf(double x) {
        return law().cdf(x / scale());
    }

    private double scale() {
        return sigma * sigma * Math.max(rows, cols);
    }
}
