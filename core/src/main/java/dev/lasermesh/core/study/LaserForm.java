package dev.lasermesh.core.study;

/** How a study variant stores the LASER matrices. */
public enum LaserForm {
    /** No LASER: the model's own matrices. */
    NONE,
    /** The rank-k reconstruction in the matrix's shape. */
    DENSE,
    /** Two factors, √S·Vᵀ (k × in) and U·√S (out × k), each stored and quantized on its own. */
    FACTORED
}
