package dev.lasermesh.core.spectrum;

/** The variable an empirical spectral distribution histogram bins. */
public enum EsdScale {
    /** The singular values s. */
    SINGULAR_VALUES,
    /** Their squares s², the eigenvalues of W·Wᵀ (or Wᵀ·W), the usual random-matrix picture. */
    SQUARED
}
