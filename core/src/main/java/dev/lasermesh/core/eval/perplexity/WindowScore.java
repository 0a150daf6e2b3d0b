package dev.lasermesh.core.eval.perplexity;

/** The summed negative log-likelihood (nats) of one window's scored tokens. */
public record WindowScore(double nllSum, int tokens) {

    /** Mean NLL of the window (laserRMT's per-window loss). */
    public double mean() {
        return nllSum / tokens;
    }
}
