package dev.lasermesh.core.reduce;

/** How a reduced matrix is written back. */
public enum StorageForm {
    /** W_k in the original shape: loads anywhere, saves no memory (laserRMT, LASER). */
    DENSE,
    /** A = U_k·√S_k and B = √S_k·V_kᵀ: saves memory when k(m + n) &lt; m·n. */
    FACTORED
}
