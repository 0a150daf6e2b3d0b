package dev.lasermesh.core.eval.forward;

/**
 * Sees the inputs of the linears of a layer as the forward pass computes them (calibration, DESIGN
 * §7.4): {@code rows} holds {@code positions} rows of {@code width} float32 values, row-major, valid
 * only during the call.
 */
@FunctionalInterface
public interface LinearInputObserver {

    /** Observes nothing: the plain forward pass. */
    LinearInputObserver NONE = (site, rows, positions, width) -> { };

    void observe(LinearInput site, float[] rows, int positions, int width);
}
